// The `roleplay` command line. Exit codes: 0 success, 1 user error (with a message), 2 usage error.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { checkCatalogue, formatProblem } from "./catalogue/index.ts";
import { ArgsError, parseCommandArgs, takePersonasOption } from "./cli/args.ts";
import { type CliContext, createCliContext, endQuietlyOnClosedPipes, UsageError, UserError } from "./cli/context.ts";
import { type Config, loadConfig } from "./config.ts";
import { templateProblems } from "./cli/templates.ts";
import { cliText } from "./cli/messages.ts";
import { parsePlatformKey, platformById, platforms } from "./platforms/registry.ts";
import { PersonaFile } from "./domain/persona.ts";
import { EXIT_USER_ERROR, RoleplayError } from "./errors/index.ts";
import { RubricFile } from "./domain/rubric.ts";
import { hostOf } from "./llm/network.ts";
import { buildCustomerSystemPrompt, staffMarker } from "./roleplay/customer.ts";

type Handler = (args: string[], ctx: CliContext) => Promise<number>;

const COMMANDS: Record<string, Handler> = {
  start: startCommand,
  console: consoleCommand,
  personas: personasCommand,
  config: configCommand,
  llm: llmCommand,
  evaluate: async (args, ctx) => (await import("./cli/evaluate.ts")).evaluateCommand(args, ctx),
  report: async (args, ctx) =>
    (await import("./cli/report.ts")).reportCommand(args, {
      config: configForHelp(args, ctx),
      out: ctx.out,
      err: ctx.err,
      openStore: ctx.openStore,
      stdout: ctx.stdout,
    }),
  trainee: traineeCommand,
  db: dbCommand,
  assign: async (args, ctx) => (await import("./cli/assignments.ts")).assignCommand(args, ctx),
  assignments: async (args, ctx) => (await import("./cli/assignments.ts")).assignmentsCommand(args, ctx),
};

/** The executable's entry: the process's own arguments and streams, the exit code set. */
export async function run(): Promise<void> {
  endQuietlyOnClosedPipes();
  process.exitCode = await main(process.argv.slice(2));
}

export async function main(argv: string[], ctx: CliContext = createCliContext()): Promise<number> {
  const t = cliText(ctx.language);
  try {
    const { personasDir, rest } = takePersonasOption(argv, ctx.language);
    if (personasDir !== undefined) {
      if (!fs.existsSync(personasDir)) throw new UserError(t.noSuchDir(path.resolve(personasDir)));
      ctx.usePersonasDir(path.resolve(personasDir));
    }
    const [command, ...args] = rest;
    if (!command || command === "--help" || command === "-h" || command === "help") {
      const own = platforms().flatMap((p) => (p.command ? [`${p.command.usage[ctx.language]}\n`] : []));
      ctx.out(t.usage(own.join("")));
      return command ? 0 : 2;
    }
    const own = platformById(command)?.command;
    const handler: Handler | undefined =
      COMMANDS[command] ?? (own && ((a, c) => own.run(a, { config: configForHelp(a, c), out: c.out, err: c.err })));
    if (!handler) {
      ctx.err(t.unknownCommand(command));
      return 2;
    }
    return await handler(args, ctx);
  } catch (e) {
    // Every error of ours knows its exit code and its sentence in the user's language.
    if (e instanceof RoleplayError) {
      ctx.err(e.localized(ctx.language));
      return e.exitCode;
    }
    // Unexpected: the name and message only (never a stack with request data).
    ctx.err(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    return EXIT_USER_ERROR;
  }
}

function wantsHelp(args: string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}

/** `--help` must work with a broken .env: help needs no configuration, so defaults do. */
function configForHelp(args: string[], ctx: CliContext): Config {
  return wantsHelp(args) ? loadConfig({ BOT_LANGUAGE: ctx.language }) : ctx.config();
}

/**
 * A command's arguments, parsed strictly. `--help` prints the usage and yields null (exit 0);
 * a wrong option prints what is wrong and the usage (exit 2).
 */
function commandArgs<const O extends Parameters<typeof parseCommandArgs>[1]>(
  ctx: CliContext,
  args: string[],
  options: O,
  command: string,
  usage: string,
) {
  let parsed: ReturnType<typeof parseCommandArgs<O>>;
  try {
    parsed = parseCommandArgs(args, options, command, ctx.language);
  } catch (e) {
    if (e instanceof ArgsError) throw new UsageError(`${e.message}\n${usage}`);
    throw e;
  }
  if (parsed.help) {
    ctx.out(usage);
    return null;
  }
  return parsed;
}

/** `roleplay X SUB` without options: true to go on, false when the help was printed. */
function plainSubcommand(ctx: CliContext, args: string[], command: string, only: string): boolean {
  const usage = cliText(ctx.language).usageLine(`${command} ${only}`);
  const chosen = subcommand(ctx, args, usage);
  if (!chosen) return false;
  if (chosen.sub !== only) throw new UsageError(usage);
  const parsed = commandArgs(ctx, chosen.rest, {}, `${command} ${only}`, usage);
  if (!parsed) return false;
  if (parsed.positionals.length > 0) throw new UsageError(usage);
  return true;
}

/** A command with subcommands: the subcommand, or null when help or usage was printed. */
function subcommand(ctx: CliContext, args: string[], usage: string): { sub: string; rest: string[] } | null {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError(usage);
  if (sub === "--help" || sub === "-h") {
    ctx.out(usage);
    return null;
  }
  return { sub, rest };
}

// ---------------------------------------------------------------------------------------------

async function personasCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = cliText(ctx.language);
  const usage = t.usageLine("roleplay personas check [DIR|FILE] | list [--json] | show ID | schema [--write]");
  const chosen = subcommand(ctx, args, usage);
  if (!chosen) return 0;
  const { sub, rest } = chosen;
  const command = `roleplay personas ${sub}`;
  switch (sub) {
    case "check": {
      const parsed = commandArgs(ctx, rest, {}, command, usage);
      if (!parsed) return 0;
      const config = ctx.config();
      const [target, ...extra] = parsed.positionals;
      if (extra.length > 0) throw new UsageError(usage);
      const checked = checkCatalogue({
        target: target ?? null,
        personasDir: config.personasDir,
        promptsDir: config.promptsDir,
      });
      if (!checked.found) throw new UserError(t.noSuchDir(checked.path));
      const problems = checked.problems.map((p) => formatProblem(p, ctx.language));
      const templates = await templateProblems(config.promptsDir);
      if (problems.length === 0 && templates.length === 0) {
        ctx.out(t.checkOk(checked.personas, checked.rubrics));
        return 0;
      }
      ctx.err(t.checkProblems(problems.length + templates.length));
      for (const p of [...problems, ...templates]) ctx.err(`  ${p}`);
      if (problems.length > 0) ctx.err(t.checkKept);
      return 1;
    }
    case "list": {
      const parsed = commandArgs(ctx, rest, { json: { type: "boolean" } }, command, usage);
      if (!parsed) return 0;
      if (parsed.positionals.length > 0) throw new UsageError(usage);
      const catalogue = ctx.loadCatalogue();
      const personas = catalogue.personas().sort((a, b) => a.id.localeCompare(b.id));
      if (parsed.values.json) {
        ctx.out(
          JSON.stringify(
            personas.map((p) => ({
              id: p.id,
              name: p.name,
              title: p.title,
              language: p.language,
              archetype: p.archetype,
              difficulty: p.difficulty,
              channel: p.channel,
              who_opens: p.who_opens,
              rubric: p.rubric,
              max_turns: p.max_turns,
              hash: p.hash,
              file: p.file,
            })),
            null,
            2,
          ),
        );
        return 0;
      }
      ctx.out(t.listHeader);
      for (const p of personas)
        ctx.out(`${p.id} | ${p.name} | ${p.archetype} | ${p.difficulty} | ${p.language} | ${p.channel}`);
      return 0;
    }
    case "show": {
      const parsed = commandArgs(ctx, rest, {}, command, usage);
      if (!parsed) return 0;
      const [id, ...extra] = parsed.positionals;
      if (!id || extra.length > 0) throw new UsageError(usage);
      const catalogue = ctx.loadCatalogue();
      const persona = catalogue.persona(id);
      if (!persona) throw new UserError(t.personaNotFound(id));
      // Exactly what the customer model receives as its instructions (with a sample marker).
      ctx.out(buildCustomerSystemPrompt(catalogue.template("customer.md"), persona, staffMarker("preview")));
      return 0;
    }
    case "schema": {
      const parsed = commandArgs(ctx, rest, { write: { type: "boolean" } }, command, usage);
      if (!parsed) return 0;
      if (parsed.positionals.length > 0) throw new UsageError(usage);
      const config = ctx.config();
      const schemas = jsonSchemas(config.personasDir, config.promptsDir);
      if (parsed.values.write) {
        for (const s of schemas) {
          fs.writeFileSync(s.file, s.text);
          ctx.out(t.schemaWritten(path.relative(process.cwd(), s.file)));
        }
      } else {
        for (const s of schemas) ctx.out(s.text);
      }
      return 0;
    }
    default:
      throw new UsageError(usage);
  }
}

/** The JSON Schemas editors use while trainers type (generated from the zod schemas). */
export function jsonSchemas(personasDir: string, promptsDir: string): Array<{ file: string; text: string }> {
  const gen = (schema: z.ZodType, title: string) =>
    `${JSON.stringify({ title, ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) }, null, 2)}\n`;
  return [
    { file: path.join(personasDir, "persona.schema.json"), text: gen(PersonaFile, "Roleplay persona") },
    { file: path.join(promptsDir, "rubrics", "rubric.schema.json"), text: gen(RubricFile, "Roleplay rubric") },
  ];
}

async function configCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = cliText(ctx.language);
  if (!plainSubcommand(ctx, args, "roleplay config", "check")) return 0;
  const config = ctx.config();
  const { describeDatabase } = await import("./store/index.ts");
  ctx.out(t.configOk);
  if (config.llm) {
    ctx.out(t.llmLine("customer", config.llm.customer.model, hostOf(config.llm.customer.baseUrl)));
    ctx.out(t.llmLine("judge", config.llm.judge.model, hostOf(config.llm.judge.baseUrl)));
  } else {
    ctx.out(t.llmNone(config.llmMissing.join(", ")));
  }
  ctx.out(t.database(describeDatabase(config.databaseUrl)));
  ctx.out(t.folders(config.personasDir, config.promptsDir));
  const configured = platforms()
    .filter((p) => p.id in config.platforms)
    .map((p) => p.name);
  ctx.out(t.platforms(configured.length > 0 ? configured.join(", ") : t.noPlatform));
  return 0;
}

async function llmCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = cliText(ctx.language);
  if (!plainSubcommand(ctx, args, "roleplay llm", "check")) return 0;
  const config = ctx.config();
  if (!config.llm) {
    ctx.err(t.noLlm);
    return 1;
  }
  const { checkLlm, formatLlmCheck } = await import("./llm/check.ts");
  const report = await checkLlm(config.llm);
  ctx.out(formatLlmCheck(report, ctx.language));
  return report.ok ? 0 : 1;
}

async function traineeCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = cliText(ctx.language);
  const examples = platforms()
    .filter((p) => p.start)
    .map((p) => `${p.id}:${p.exampleUserId}`);
  const usage = t.usageLine(
    `roleplay trainee delete PLATFORM:USER_ID   ${t.traineeExample(examples[0] ?? "console:alice")}`,
  );
  const chosen = subcommand(ctx, args, usage);
  if (!chosen) return 0;
  const parsed = commandArgs(ctx, chosen.rest, {}, `roleplay trainee ${chosen.sub}`, usage);
  if (!parsed) return 0;
  const [id, ...extra] = parsed.positionals;
  if (chosen.sub !== "delete" || !id || extra.length > 0 || !parsePlatformKey(id)) throw new UsageError(usage);
  const store = await ctx.openStore();
  try {
    if (!(await store.getTrainee(id))) throw new UserError(t.noTrainee(id, examples.join(t.or)));
    await store.deleteTrainee(id);
    ctx.out(t.deleted(id));
    return 0;
  } finally {
    await store.close();
  }
}

async function dbCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = cliText(ctx.language);
  if (!plainSubcommand(ctx, args, "roleplay db", "migrate")) return 0;
  const { describeDatabase } = await import("./store/index.ts");
  const store = await ctx.openStore();
  await store.close();
  ctx.out(t.migrated(describeDatabase(ctx.config().databaseUrl)));
  return 0;
}

// ---------------------------------------------------------------------------------------------

async function consoleCommand(args: string[], ctx: CliContext): Promise<number> {
  const usage = cliText(ctx.language).usageLine("roleplay console [--persona ID]");
  const parsed = commandArgs(ctx, args, { persona: { type: "string" } }, "roleplay console", usage);
  if (!parsed) return 0;
  if (parsed.positionals.length > 0) throw new UsageError(usage);
  return (await import("./cli/start.ts")).practiseInTerminal(ctx, parsed.values.persona);
}

async function startCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = cliText(ctx.language);
  const usage = t.usageLine(`roleplay start [--persona ID] [--platform ID]   (${t.startHelp})`);
  const options = { persona: { type: "string" }, platform: { type: "string" } } as const;
  const parsed = commandArgs(ctx, args, options, "roleplay start", usage);
  if (!parsed) return 0;
  if (parsed.positionals.length > 0) throw new UsageError(usage);
  const { startInstallation } = await import("./cli/start.ts");
  return startInstallation(ctx, { personaId: parsed.values.persona, only: parsed.values.platform });
}
