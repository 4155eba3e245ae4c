// One malformed gateway event must not stop the bot. discord.js turns each dispatch into objects
// inside its own packet handler, outside any of our listeners: an interaction without `data`
// (seen from a Discord-compatible server) threw there and the process exited. Every packet now
// passes a shape check first and the handler runs inside a guard: a bad one is counted, logged
// (its type only, never its content) and dropped, and the next one is handled as usual.
import type { Client } from "discord.js";
import { errorFields, type LogFields, type Logger } from "../../log.ts";

export interface GatewayGuard {
  /** Malformed or failing gateway events dropped since start. */
  malformed(): number;
}

type Packet = { t?: unknown; d?: unknown } | null | undefined;
type PacketHandler = (packet: Packet, shard: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isId = (v: unknown) => typeof v === "string" && /^\d{1,25}$/.test(v);

/** Interaction types whose payload must carry `data` (application command, component, autocomplete, modal). */
const NEEDS_DATA = new Set([2, 3, 4, 5]);

/** Why discord.js would choke on this packet, or null when it looks sound. */
export function malformedReason(packet: Packet): string | null {
  if (!isObject(packet)) return "not an object";
  const { t, d } = packet;
  if (typeof t !== "string") return null; // not a dispatch (discord.js ignores those)
  if (t === "INTERACTION_CREATE") {
    if (!isObject(d)) return "interaction without payload";
    if (!isId(d.id) || typeof d.token !== "string" || typeof d.type !== "number") return "interaction without id";
    if (NEEDS_DATA.has(d.type) && !isObject(d.data)) return "interaction without data";
    if (d.type === 3 && isObject(d.data) && typeof d.data.custom_id !== "string") return "component without id";
    if (
      (d.type === 2 || d.type === 4) &&
      isObject(d.data) &&
      d.data.options !== undefined &&
      !Array.isArray(d.data.options)
    )
      return "options not a list";
    if (!isObject(d.user) && !(isObject(d.member) && isObject(d.member.user))) return "interaction without user";
    return null;
  }
  if (t === "MESSAGE_CREATE" || t === "MESSAGE_UPDATE") {
    if (!isObject(d) || !isId(d.id) || !isId(d.channel_id)) return "message without id";
    if (t === "MESSAGE_CREATE" && (!isObject(d.author) || !isId(d.author.id))) return "message without author";
    return null;
  }
  // Every other dispatch carries an object (READY, GUILD_CREATE, THREAD_*…); RESUMED's may be null.
  if (d !== null && d !== undefined && !isObject(d)) return "payload not an object";
  if ((d === null || d === undefined) && t !== "RESUMED") return "payload missing";
  return null;
}

export function guardGateway(client: Client, log: Logger): GatewayGuard {
  let malformed = 0;
  const ws = client.ws as unknown as { handlePacket: PacketHandler };
  const original = ws.handlePacket.bind(ws);
  const drop = (type: unknown, reason: string, fields: LogFields = {}) => {
    malformed++;
    log.warn("discord.malformed_event", {
      type: typeof type === "string" ? type : "?",
      reason,
      count: malformed,
      ...fields,
    });
  };
  ws.handlePacket = (packet, shard) => {
    const reason = malformedReason(packet);
    if (reason) {
      drop(isObject(packet) ? packet.t : undefined, reason);
      return true;
    }
    try {
      return original(packet, shard);
    } catch (e) {
      drop(isObject(packet) ? packet.t : undefined, "handler threw", errorFields(e));
      return true;
    }
  };
  return { malformed: () => malformed };
}
