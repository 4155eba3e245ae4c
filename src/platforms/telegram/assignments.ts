// Assignments in Telegram: /assignments shows a trainee what is due with a button per customer
// that starts it in one step (the attempt counted); trainers and managers see completion, and set,
// close and release assignments with /assign and /assignments close|release ID.
import { parseArgs } from "node:util";
import { Composer, type Context } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { type AssignmentHints, assignmentMessages } from "../../assignments/messages.ts";
import { overviewLines, traineeLines } from "../../assignments/present.ts";
import { isAssignmentError, type AssignmentService } from "../../assignments/service.ts";
import type { Assignment, TraineeContext } from "../../domain/assignment.ts";
import { traineeKey } from "../../domain/session.ts";
import type { StartRequest, StartResult, Viewer } from "../../roleplay/api.ts";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { fitsCallback } from "./outlet.ts";
import { isGroup, messageOf, traineeOf } from "./place.ts";
import { startSession } from "./roleplay.ts";

const HINTS: AssignmentHints = { list: "/assignments", personas: "/personas" };
const startData = (assignmentId: string, index: number) => `as:${assignmentId}:${index}`;

export function assignmentFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();
  const title = (id: string) => deps.engine.personas().find((p) => p.id === id)?.title ?? id;

  /** Where the user is seen in this update: the group it came from, if any. */
  function contextsOf(ctx: Context): TraineeContext[] {
    const message = messageOf(ctx);
    if (!ctx.from) return [];
    const chat = message?.chat;
    const scopeId = chat && isGroup(chat) ? String(chat.id) : null;
    return [{ traineeId: traineeKey(traineeOf(ctx.from)), platform: "telegram", scopeId }];
  }

  /** Managers of one group (its administrators) act on that group's assignments only. */
  function mayChange(viewer: Viewer, assignment: Assignment): boolean {
    if (viewer.role === "trainee") return false;
    if (viewer.scopes === null) return true;
    return assignment.targets.some(
      (t) => t.kind === "scope" && t.platform === "telegram" && viewer.scopes?.includes(t.scopeId),
    );
  }

  async function mine(ctx: Context, service: AssignmentService): Promise<void> {
    if (!ctx.from) return;
    const { language } = await textsFor(ctx, deps);
    const m = assignmentMessages(language);
    const items = await service.forTrainee(traineeKey(traineeOf(ctx.from)), contextsOf(ctx));
    const keyboard: InlineKeyboardButton[][] = [];
    for (const { assignment, progress } of items) {
      progress.personas.forEach((p, index) => {
        const data = startData(assignment.id, index);
        if (p.passed || p.attemptsLeft === 0 || !fitsCallback(data)) return;
        keyboard.push([{ text: m.startButton(title(p.personaId)), callback_data: data }]);
      });
    }
    const lines = traineeLines(items, title, language);
    if (keyboard.length > 0) lines.push("", m.startHint);
    await answer(
      ctx,
      deps,
      lines.join("\n"),
      keyboard.length > 0 ? { replyMarkup: { inline_keyboard: keyboard } } : {},
    );
  }

  c.command("assignments", async (ctx) => {
    if (!ctx.from) return;
    const { language } = await textsFor(ctx, deps);
    const m = assignmentMessages(language);
    const service = deps.assignments;
    if (!service) {
      await answer(ctx, deps, m.unavailable);
      return;
    }
    const [action, id] = ctx.match.trim().split(/\s+/);
    const viewer = await deps.roles.viewer(String(ctx.from.id), ctx.chat);
    if (!action && viewer.role === "trainee") return mine(ctx, service);
    if (action === "mine") return mine(ctx, service);
    if (viewer.role === "trainee") {
      await answer(ctx, deps, m.trainersOnly, { replyTo: ctx.msg.message_id });
      return;
    }
    if (!action) {
      const all = (await service.list()).filter((a) => mayChange(viewer, a));
      const lines = all.length === 0 ? [m.noneSet] : [m.allTitle];
      for (const a of all) lines.push("", ...overviewLines(a, await service.progress(a), title, language));
      await answer(ctx, deps, lines.join("\n"));
      return;
    }
    if ((action !== "close" && action !== "release") || !id) {
      await answer(ctx, deps, m.chatListUsage, { replyTo: ctx.msg.message_id });
      return;
    }
    const assignment = await service.get(id);
    if (assignment === null) {
      await answer(ctx, deps, m.error("assignment_not_found", HINTS, id));
      return;
    }
    if (!mayChange(viewer, assignment)) {
      await answer(ctx, deps, m.onlyYourGroup, { replyTo: ctx.msg.message_id });
      return;
    }
    if (action === "close") {
      await answer(ctx, deps, (await service.close(id)) ? m.closedDone(id) : m.notClosable(id));
      return;
    }
    const released = assignment.mode === "assessment" && (await service.release(id));
    await answer(ctx, deps, released ? m.releasedDone(id) : m.notReleasable(id));
  });

  c.command("assign", async (ctx) => {
    if (!ctx.from) return;
    const { language } = await textsFor(ctx, deps);
    const m = assignmentMessages(language);
    const service = deps.assignments;
    if (!service) {
      await answer(ctx, deps, m.unavailable);
      return;
    }
    const viewer = await deps.roles.viewer(String(ctx.from.id), ctx.chat);
    if (viewer.role === "trainee") {
      await answer(ctx, deps, m.trainersOnly, { replyTo: ctx.msg.message_id });
      return;
    }
    const flags = readFlags(ctx.match);
    const groupTarget = isGroup(ctx.chat) ? `telegram-group:${ctx.chat.id}` : undefined;
    const to = flags?.to ?? groupTarget;
    if (flags === null || flags.persona === undefined || flags.due === undefined || to === undefined) {
      await answer(ctx, deps, m.chatAssignUsage, { replyTo: ctx.msg.message_id });
      return;
    }
    if (
      viewer.scopes !== null &&
      to.split(",").some((t) => !viewer.scopes?.some((s) => t.trim() === `telegram-group:${s}`))
    ) {
      await answer(ctx, deps, m.onlyYourGroup, { replyTo: ctx.msg.message_id });
      return;
    }
    const created = await service.create({
      personas: flags.persona,
      to,
      due: flags.due,
      ...(flags.mode === undefined ? {} : { mode: flags.mode }),
      ...(flags.attempts === undefined ? {} : { attempts: flags.attempts }),
      ...(flags["pass-mark"] === undefined ? {} : { passMark: flags["pass-mark"] }),
      createdBy: traineeKey(traineeOf(ctx.from)),
    });
    if (!created.ok) {
      await answer(ctx, deps, m.inputError(created.error, HINTS), { replyTo: ctx.msg.message_id });
      return;
    }
    const header = overviewLines(created.assignment, [], title, language)[0] ?? "";
    await answer(ctx, deps, [m.created(created.assignment.id), header].join("\n"));
  });

  c.callbackQuery(/^as:([a-z0-9-]+):(\d+)$/, async (ctx) => {
    const { language } = await textsFor(ctx, deps);
    const m = assignmentMessages(language);
    const service = deps.assignments;
    await ctx.answerCallbackQuery();
    if (!service) return;
    const assignmentId = ctx.match[1] as string;
    const assignment = await service.get(assignmentId);
    const personaId = assignment?.personaIds[Number(ctx.match[2])];
    if (!assignment || !personaId) {
      await answer(ctx, deps, m.error("assignment_not_found", HINTS, assignmentId));
      return;
    }
    const contexts = contextsOf(ctx);
    await startSession(ctx, deps, personaId, async (req: StartRequest) => {
      const r = await service.start({ ...req, assignmentId, personaId, contexts });
      if (r.ok || !isAssignmentError(r.error.code)) return r as StartResult;
      return { ok: false as const, text: m.error(r.error.code, HINTS, r.error.detail) };
    });
  });

  return c;
}

/** `--persona a,b --due 2026-12-31 ...` as typed after /assign; null when it cannot be read. */
function readFlags(text: string) {
  try {
    return parseArgs({
      args: text.trim().split(/\s+/).filter(Boolean),
      options: {
        persona: { type: "string" },
        to: { type: "string" },
        due: { type: "string" },
        mode: { type: "string" },
        attempts: { type: "string" },
        "pass-mark": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch {
    return null;
  }
}
