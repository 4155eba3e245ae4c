// The Loopchat bot: a webhook server that turns a room's lines into engine calls (/start [PERSONA],
// /end, anything else a message), and an outlet that sends what the engine delivers, split to
// Loopchat's limit in UTF-8 bytes. Everything goes through RoleplayApi; no session state here.
import { createServer, type IncomingMessage } from "node:http";
import type { Place, TraineeIdentity } from "../../../src/domain/session.ts";
import { renderCardText } from "../../../src/evaluation/render.ts";
import type { PlatformApp, PlatformFile } from "../../../src/platforms/contract.ts";
import { splitMessage } from "../../../src/platforms/split.ts";
import { type CommandHints, roleplayTexts } from "../../../src/roleplay/messages.ts";
import { LOOPCHAT_TEXT_LIMIT, type LoopchatSettings } from "./platform.ts";

const COMMANDS: CommandHints = { start: "/start", end: "/end", personas: "/start" };

/** Posts a text (split to the limit) and files to a room through the Loopchat API. */
export async function send(settings: LoopchatSettings, room: string, text: string, files: PlatformFile[] = []) {
  const parts = splitMessage(text, LOOPCHAT_TEXT_LIMIT, "utf8");
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const res = await fetch(`${settings.apiUrl}/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        room,
        text: part,
        files: last ? files.map((f) => ({ name: f.name, base64: f.content.toString("base64") })) : [],
      }),
    });
    if (!res.ok) throw new Error(`Loopchat refused a message: HTTP ${res.status}`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

interface Update {
  update_id: number;
  user: { id: string; name: string };
  room: string;
  text: string;
}

export async function startLoopchatBot(
  app: PlatformApp,
  settings: LoopchatSettings,
): Promise<{ stop(): Promise<void> }> {
  const { engine } = app;
  const placeOf = (room: string): Place => ({ platform: "loopchat", scopeId: room, chatId: room, threadId: null });

  engine.registerOutlet("loopchat", {
    async deliver(event) {
      const room = event.session.place.chatId;
      const language = "language" in event ? event.language : app.config.language;
      const texts = roleplayTexts(language, COMMANDS);
      switch (event.type) {
        case "typing":
          return undefined;
        case "customer":
          await send(settings, room, `${event.speaker}: ${event.text}`);
          return undefined;
        case "notice":
          await send(settings, room, texts.notice(event.code));
          return undefined;
        case "ended":
          await send(settings, room, texts.ended(event.outcome));
          return undefined;
        case "evaluation":
          await send(settings, room, renderCardText(event.card));
          return undefined;
      }
    },
  });

  async function handle(u: Update): Promise<void> {
    const trainee: TraineeIdentity = { platform: "loopchat", userId: u.user.id, displayName: u.user.name };
    const place = placeOf(u.room);
    const language = await engine.languageFor(trainee, place);
    const texts = roleplayTexts(language, COMMANDS);
    const text = u.text.trim();
    if (text === "/start" || text.startsWith("/start ")) {
      const personaId = text.slice("/start".length).trim() || undefined;
      const started = await engine.start({
        trainee,
        place,
        ...(personaId ? { personaId } : { pick: { language } }),
        announce: (_session, persona) => send(settings, u.room, `${persona.title}: ${persona.name}`),
      });
      if (!started.ok) await send(settings, u.room, texts.error(started.error.code, started.error.detail));
      return;
    }
    if (text === "/end") {
      const ended = await engine.end(trainee, place);
      if (!ended.ok) await send(settings, u.room, texts.error(ended.error.code, ended.error.detail));
      return;
    }
    await engine.message({ trainee, place, text: u.text, inboundKey: `loopchat:${u.room}:${u.update_id}` });
  }

  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/updates") {
      res.writeHead(404).end();
      return;
    }
    try {
      await handle((await readJson(req)) as Update);
      res.writeHead(200).end();
    } catch (e) {
      app.log.error("loopchat.update_failed", { error: e instanceof Error ? e.message : String(e) });
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(settings.port, "127.0.0.1", resolve));
  return {
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
