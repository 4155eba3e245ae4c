// `/roleplay assign`: a server's trainers and managers set an assignment from Discord, as `/assign`
// does in Telegram and `roleplay assign` in the terminal. The assignment service reads and checks
// the input (personas against the catalogue, due day in TIME_ZONE, mode, attempts, pass mark); the
// target is this server, one of its roles or one member, never another server. A Discord trainer
// or manager role counts in its own server only (viewerOf), as for close and release.
import type { ChatInputCommandInteraction } from "discord.js";
import { type AssignmentHints, assignmentMessages } from "../../assignments/messages.ts";
import { overviewLines } from "../../assignments/present.ts";
import { traineeKey } from "../../domain/session.ts";
import { ASSIGNMENTS_HINT } from "./assignments.ts";
import { ASSIGN_OPTIONS } from "./commands.ts";
import { channelPlace, type DiscordContext, languageOf, traineeOf, viewerOf } from "./context.ts";
import { discordMessages } from "./messages.ts";
import { answer, defer } from "./replies.ts";

const HINTS: AssignmentHints = { list: ASSIGNMENTS_HINT, personas: "/roleplay personas" };
const SNOWFLAKE = /^\d{1,25}$/;

/** A role or user option's id (the raw value: Discord sends the snowflake). */
function idOption(i: ChatInputCommandInteraction, name: string): string | null {
  const value = i.options.get(name)?.value;
  return typeof value === "string" && value !== "" ? value : null;
}

/** Who the assignment is for, in the service's target words: a member, a role, else the server. */
export function assignTargets(guildId: string, roleId: string | null, memberId: string | null): string | null {
  if ((roleId !== null && !SNOWFLAKE.test(roleId)) || (memberId !== null && !SNOWFLAKE.test(memberId))) return null;
  const targets: string[] = [];
  if (roleId !== null) targets.push(`discord-role:${guildId}/${roleId}`);
  if (memberId !== null) targets.push(traineeKey({ platform: "discord", userId: memberId }));
  return targets.length > 0 ? targets.join(",") : `discord-server:${guildId}`;
}

export async function onAssign(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = await languageOf(ctx, trainee, channelPlace(i), i.locale);
  const m = assignmentMessages(language);
  const dm = discordMessages(language);
  const service = ctx.app.assignments;
  if (!service) return answer(ctx, i, m.unavailable);
  const viewer = viewerOf(ctx, i);
  if (viewer.role === "trainee") return answer(ctx, i, m.trainersOnly);
  const guildId = i.guildId;
  if (guildId === null || (viewer.scopes !== null && !viewer.scopes.includes(guildId))) {
    return answer(ctx, i, dm.onlyYourServer);
  }
  const personas = i.options.getString(ASSIGN_OPTIONS.personas)?.trim();
  const due = i.options.getString(ASSIGN_OPTIONS.due)?.trim();
  const to = assignTargets(guildId, idOption(i, ASSIGN_OPTIONS.role), idOption(i, ASSIGN_OPTIONS.member));
  if (!personas || !due || to === null) return answer(ctx, i, dm.assignUsage);
  const mode = i.options.getString(ASSIGN_OPTIONS.mode)?.trim();
  const attempts = i.options.getString(ASSIGN_OPTIONS.attempts)?.trim();
  const passMark = i.options.getString(ASSIGN_OPTIONS.passMark)?.trim();
  const created = await service.create({
    personas,
    to,
    due,
    ...(mode ? { mode } : {}),
    ...(attempts ? { attempts } : {}),
    ...(passMark ? { passMark } : {}),
    createdBy: traineeKey({ platform: "discord", userId: i.user.id }),
  });
  if (!created.ok) {
    const e = created.error;
    return answer(ctx, i, e.code === "attempts_in_practice" ? dm.assignAttemptsInPractice : m.inputError(e, HINTS));
  }
  const personaList = ctx.engine.personas();
  const title = (id: string) => personaList.find((p) => p.id === id)?.title ?? id;
  const header = overviewLines(created.assignment, [], title, language)[0] ?? "";
  await answer(ctx, i, [m.created(created.assignment.id), header].join("\n"));
}
