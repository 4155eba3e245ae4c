// `roleplay assign` (a trainer sets customers for trainees or a place) and `roleplay assignments`
// (list with completion, a trainee's own with --mine, close, release, and --start: practise an
// assigned customer in the terminal, its attempt counted).
import os from "node:os";
import { createAssignmentService } from "../assignments/service.ts";
import { assignmentMessages, type AssignmentHints } from "../assignments/messages.ts";
import { assignmentJson, overviewLines, type PersonaTitle, traineeLines } from "../assignments/present.ts";
import { isPlatformId, type TraineeIdentity } from "../domain/session.ts";
import type { Store } from "../store/port.ts";
import { ArgsError, parseCommandArgs } from "./args.ts";
import { type CliContext, UsageError, UserError } from "./context.ts";
import { cliText } from "./messages.ts";

/** The JSON of `roleplay assignments --json`; raised when its shape changes. */
export const ASSIGNMENTS_JSON_VERSION = 1;

const HINTS: AssignmentHints = {
  list: "npx roleplay assignments --mine",
  personas: "npx roleplay personas list",
};

const ASSIGN_USAGE =
  "roleplay assign --persona ID[,ID] --to TRAINEE|PLACE[,...] --due YYYY-MM-DD [--mode practice|assessment] [--attempts N] [--pass-mark N] [--by NAME]";
const LIST_USAGE =
  "roleplay assignments [--json] [--all] [--mine [--trainee NAME]] [--show ID] [--close ID] [--release ID] [--start ID [--persona ID] [--trainee NAME]]";

function parse<const O extends Parameters<typeof parseCommandArgs>[1]>(
  ctx: CliContext,
  args: string[],
  options: O,
  command: string,
  usage: string,
) {
  try {
    const parsed = parseCommandArgs(args, options, command, ctx.language);
    if (parsed.help) {
      ctx.out(cliText(ctx.language).usageLine(usage));
      return null;
    }
    if (parsed.positionals.length > 0) throw new UsageError(cliText(ctx.language).usageLine(usage));
    return parsed.values;
  } catch (e) {
    if (e instanceof ArgsError) throw new UsageError(`${e.message}\n${cliText(ctx.language).usageLine(usage)}`);
    throw e;
  }
}

/** The terminal's trainee: `--trainee NAME` (or a full id like telegram:123), else the OS user. */
export function terminalTrainee(name: string | undefined): TraineeIdentity {
  const given = name?.trim();
  const full = given ? /^([a-z]+):(.+)$/.exec(given) : null;
  if (full && isPlatformId(full[1] as string)) {
    return {
      platform: full[1] as TraineeIdentity["platform"],
      userId: full[2] as string,
      displayName: full[2] as string,
    };
  }
  const user = given || os.userInfo().username || "trainee";
  return { platform: "console", userId: user, displayName: user };
}

async function open(ctx: CliContext) {
  const config = ctx.config();
  const store: Store = await ctx.openStore();
  const catalogue = ctx.loadCatalogue();
  const { assignmentStoreFor } = await import("../store/assignments.ts");
  const personas = () => catalogue.personas().map((p) => ({ id: p.id, title: p.title }));
  const service = createAssignmentService({
    assignments: assignmentStoreFor(store),
    store,
    // Listing and setting need only the catalogue; --start builds the whole app instead.
    engine: {
      personas,
      start: async () => {
        throw new Error("not available here");
      },
    },
    timeZone: config.timeZone,
  });
  const title: PersonaTitle = (id) => catalogue.persona(id)?.title ?? id;
  return { store, service, title, config };
}

export async function assignCommand(args: string[], ctx: CliContext): Promise<number> {
  const v = parse(
    ctx,
    args,
    {
      persona: { type: "string" },
      to: { type: "string" },
      due: { type: "string" },
      mode: { type: "string" },
      attempts: { type: "string" },
      "pass-mark": { type: "string" },
      by: { type: "string" },
    },
    "roleplay assign",
    ASSIGN_USAGE,
  );
  if (v === null) return 0;
  if (v.persona === undefined || v.to === undefined || v.due === undefined) {
    throw new UsageError(cliText(ctx.language).usageLine(ASSIGN_USAGE));
  }
  const { store, service, title } = await open(ctx);
  try {
    const m = assignmentMessages(ctx.language);
    const created = await service.create({
      personas: v.persona,
      to: v.to,
      due: v.due,
      ...(v.mode === undefined ? {} : { mode: v.mode }),
      ...(v.attempts === undefined ? {} : { attempts: v.attempts }),
      ...(v["pass-mark"] === undefined ? {} : { passMark: v["pass-mark"] }),
      createdBy: `console:${v.by ?? (os.userInfo().username || "trainer")}`,
    });
    if (!created.ok) throw new UserError(m.inputError(created.error, HINTS));
    ctx.out(m.created(created.assignment.id));
    for (const line of overviewLines(created.assignment, [], title, ctx.language).slice(0, 1)) ctx.out(line);
    return 0;
  } finally {
    await store.close();
  }
}

export async function assignmentsCommand(args: string[], ctx: CliContext): Promise<number> {
  const v = parse(
    ctx,
    args,
    {
      json: { type: "boolean" },
      all: { type: "boolean" },
      mine: { type: "boolean" },
      trainee: { type: "string" },
      show: { type: "string" },
      close: { type: "string" },
      release: { type: "string" },
      start: { type: "string" },
      persona: { type: "string" },
    },
    "roleplay assignments",
    LIST_USAGE,
  );
  if (v === null) return 0;
  const actions = [v.mine, v.show, v.close, v.release, v.start].filter((x) => x !== undefined && x !== false);
  if (actions.length > 1) throw new UsageError(cliText(ctx.language).usageLine(LIST_USAGE));
  if (v.start !== undefined) return startAssigned(ctx, v.start, v.persona, v.trainee);
  const m = assignmentMessages(ctx.language);
  const { store, service, title } = await open(ctx);
  try {
    if (v.close !== undefined) {
      if (!(await service.close(v.close))) throw new UserError(m.notClosable(v.close));
      ctx.out(m.closedDone(v.close));
      return 0;
    }
    if (v.release !== undefined) {
      const a = await service.get(v.release);
      if (a?.mode !== "assessment" || !(await service.release(v.release)))
        throw new UserError(m.notReleasable(v.release));
      ctx.out(m.releasedDone(v.release));
      return 0;
    }
    if (v.mine) {
      const trainee = terminalTrainee(v.trainee);
      const id = `${trainee.platform}:${trainee.userId}`;
      const items = await service.forTrainee(id, [{ traineeId: id, platform: trainee.platform, scopeId: null }]);
      if (v.json) {
        ctx.out(
          JSON.stringify(
            {
              schemaVersion: ASSIGNMENTS_JSON_VERSION,
              trainee: id,
              assignments: items.map((i) => ({
                ...assignmentJson(i.assignment, []),
                held: i.held,
                progress: i.held ? { ...i.progress, best: null, latest: null, personas: [] } : i.progress,
              })),
            },
            null,
            2,
          ),
        );
      } else {
        for (const line of traineeLines(items, title, ctx.language)) ctx.out(line);
      }
      return 0;
    }
    const list =
      v.show !== undefined
        ? [await service.get(v.show)].flatMap((a) => (a ? [a] : []))
        : await service.list({ includeClosed: v.all === true });
    if (v.show !== undefined && list.length === 0) {
      throw new UserError(m.error("assignment_not_found", HINTS, v.show));
    }
    const withRows = [];
    for (const a of list) withRows.push({ assignment: a, rows: await service.progress(a) });
    if (v.json) {
      ctx.out(
        JSON.stringify(
          {
            schemaVersion: ASSIGNMENTS_JSON_VERSION,
            assignments: withRows.map((x) => assignmentJson(x.assignment, x.rows)),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    if (withRows.length === 0) ctx.out(m.noneSet);
    else ctx.out(m.allTitle);
    for (const x of withRows) {
      ctx.out("");
      for (const line of overviewLines(x.assignment, x.rows, title, ctx.language)) ctx.out(line);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** Practises an assigned customer in the terminal: the attempt is taken before the session starts. */
async function startAssigned(
  ctx: CliContext,
  assignmentId: string,
  personaId: string | undefined,
  traineeName: string | undefined,
): Promise<number> {
  const config = ctx.config();
  if (!config.llm) {
    ctx.err(cliText(ctx.language).noLlm);
    return 1;
  }
  const trainee = terminalTrainee(traineeName);
  return (await import("./practice.ts")).practise(ctx, config, personaId, {
    trainee,
    assignment: { id: assignmentId, hints: HINTS },
  });
}
