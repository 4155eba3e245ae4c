// `/roleplay assignments`: a trainee's list of what is due (ephemeral) with a button per customer
// that starts it in one step in a new thread, as `/roleplay start` does (the attempt counted by the
// assignment service); trainers and managers see every assignment of their server with completion,
// and close or release one (release delivers the held cards). Seeing the trainee here, with their
// server roles, registers them under matching server and role targets (the service remembers it).
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  ComponentType,
} from "discord.js";
import { type AssignmentHints, assignmentMessages } from "../../assignments/messages.ts";
import { overviewLines, traineeLines } from "../../assignments/present.ts";
import { isAssignmentError } from "../../assignments/service.ts";
import type { Assignment, TraineeContext } from "../../domain/assignment.ts";
import type { Language } from "../../domain/persona.ts";
import { traineeKey } from "../../domain/session.ts";
import type { Viewer } from "../../roleplay/api.ts";
import { ASSIGNMENT_OPTIONS } from "./commands.ts";
import { channelPlace, type DiscordContext, languageOf, traineeOf, viewerOf } from "./context.ts";
import { discordMessages } from "./messages.ts";
import { answer, defer, fitLines } from "./replies.ts";
import { startInChannel } from "./start.ts";

/** How a Discord trainee lists their assignments (named in reminders and refusals). */
export const ASSIGNMENTS_HINT = "/roleplay assignments";
const HINTS: AssignmentHints = { list: ASSIGNMENTS_HINT, personas: "/roleplay personas" };
const PREFIX = "rp:as:";
/** Discord allows 5 rows of 5 buttons; a label is at most 80 characters. */
const MAX_BUTTONS = 25;
const MAX_LABEL = 80;

export function assignmentButtonId(assignmentId: string, index: number): string {
  return `${PREFIX}${assignmentId}:${index}`;
}

export function parseAssignmentButtonId(customId: string): { assignmentId: string; index: number } | null {
  const m = /^rp:as:([a-z0-9-]+):(\d+)$/.exec(customId);
  return m ? { assignmentId: m[1] as string, index: Number(m[2]) } : null;
}

type Target = ChatInputCommandInteraction | ButtonInteraction;

function roleIdsOf(member: unknown): string[] {
  if (!member || typeof member !== "object") return [];
  const roles = (member as { roles?: unknown }).roles;
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === "string");
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/** Where the trainee is seen: this server, with their roles in it. */
function contextsOf(i: Target): TraineeContext[] {
  const traineeId = traineeKey({ platform: "discord", userId: i.user.id });
  return [{ traineeId, platform: "discord", scopeId: i.guildId, roleIds: roleIdsOf(i.member) }];
}

/**
 * A server's trainers and managers act on the assignments for that server (or its roles) and on
 * those they set themselves; Discord roles never give rights beyond their server.
 */
function mayChange(viewer: Viewer, a: Assignment): boolean {
  if (viewer.role === "trainee") return false;
  if (viewer.scopes === null) return true;
  if (a.createdBy === traineeKey({ platform: viewer.platform, userId: viewer.userId })) return true;
  return a.targets.some((t) => t.kind !== "trainee" && t.platform === "discord" && viewer.scopes?.includes(t.scopeId));
}

export async function onAssignments(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = await languageOf(ctx, trainee, channelPlace(i), i.locale);
  const m = assignmentMessages(language);
  const dm = discordMessages(language);
  const service = ctx.app.assignments;
  if (!service) return answer(ctx, i, m.unavailable);
  const title = titles(ctx);
  const action = i.options.getString(ASSIGNMENT_OPTIONS.action);
  const id = i.options.getString(ASSIGNMENT_OPTIONS.id)?.trim();
  const viewer = viewerOf(ctx, i);

  if (!action && !id && viewer.role === "trainee") return mine(ctx, i, language);
  if (viewer.role === "trainee") return answer(ctx, i, m.trainersOnly);
  if (!action && !id) {
    const all = (await service.list()).filter((a) => mayChange(viewer, a));
    const lines = all.length === 0 ? [m.noneSet] : [m.allTitle];
    for (const a of all) lines.push("", ...overviewLines(a, await service.progress(a), title, language));
    return answer(ctx, i, fitLines(lines, 2000, "…"));
  }
  if ((action !== "close" && action !== "release") || !id) return answer(ctx, i, dm.assignmentsUsage);
  const assignment = await service.get(id);
  if (assignment === null) return answer(ctx, i, m.error("assignment_not_found", HINTS, id));
  if (!mayChange(viewer, assignment)) return answer(ctx, i, dm.onlyYourServer);
  if (action === "close") return answer(ctx, i, (await service.close(id)) ? m.closedDone(id) : m.notClosable(id));
  const released = assignment.mode === "assessment" && (await service.release(id));
  return answer(ctx, i, released ? m.releasedDone(id) : m.notReleasable(id));
}

function titles(ctx: DiscordContext): (id: string) => string {
  const personas = ctx.engine.personas();
  return (id) => personas.find((p) => p.id === id)?.title ?? id;
}

/** The trainee's own list, with a start button for each customer not passed that has attempts left. */
async function mine(ctx: DiscordContext, i: ChatInputCommandInteraction, language: Language): Promise<void> {
  const service = ctx.app.assignments;
  if (!service) return;
  const m = assignmentMessages(language);
  const title = titles(ctx);
  const items = await service.forTrainee(traineeKey({ platform: "discord", userId: i.user.id }), contextsOf(i));
  const buttons: APIButtonComponent[] = [];
  for (const { assignment, progress } of items) {
    progress.personas.forEach((p, index) => {
      if (p.passed || p.attemptsLeft === 0 || buttons.length >= MAX_BUTTONS) return;
      buttons.push({
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        custom_id: assignmentButtonId(assignment.id, index),
        label: m.startButton(title(p.personaId)).slice(0, MAX_LABEL),
      });
    });
  }
  const lines = traineeLines(items, title, language);
  const hint = buttons.length > 0 ? `\n\n${m.startHint}` : "";
  const content = fitLines(lines, 2000 - hint.length, "…") + hint;
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let k = 0; k < buttons.length; k += 5) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(k, k + 5) });
  }
  await answer(ctx, i, content, { components: rows });
}

/** A start button: the assigned customer in a new thread of this channel, through the service. */
export async function onAssignmentButton(ctx: DiscordContext, i: ButtonInteraction): Promise<void> {
  const parsed = parseAssignmentButtonId(i.customId);
  if (!parsed) return;
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = await languageOf(ctx, trainee, channelPlace(i), i.locale);
  const m = assignmentMessages(language);
  const service = ctx.app.assignments;
  if (!service) return answer(ctx, i, m.unavailable);
  const assignment = await service.get(parsed.assignmentId);
  const personaId = assignment?.personaIds[parsed.index];
  const persona = ctx.engine.personas().find((p) => p.id === personaId);
  if (!assignment || !personaId || !persona) {
    return answer(ctx, i, m.error("assignment_not_found", HINTS, parsed.assignmentId));
  }
  const contexts = contextsOf(i);
  const channelId = i.channel?.isThread() ? (i.channel.parentId ?? i.channelId) : i.channelId;
  await startInChannel(ctx, i, trainee, discordMessages(language), persona, channelId, false, null, async (req) => {
    const r = await service.start({ ...req, assignmentId: assignment.id, personaId, contexts });
    if (r.ok || !isAssignmentError(r.error.code)) return r as Awaited<ReturnType<DiscordContext["engine"]["start"]>>;
    return { ok: false as const, text: m.error(r.error.code, HINTS, r.error.detail) };
  });
}
