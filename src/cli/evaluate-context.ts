// What every `roleplay evaluate` mode shares: the context it runs in, its exit codes, the judge
// settings and template it reads, and how a judge failure is put in words.
import type { Catalogue } from "../catalogue/index.ts";
import { InvalidJudgementError } from "../evaluation/index.ts";
import { LlmError } from "../llm/port.ts";
import type { CliContext } from "./context.ts";

/** What the command needs from the CLI around it (a CliContext fits). */
export type EvaluateContext = Pick<
  CliContext,
  "language" | "out" | "err" | "openStore" | "loadCatalogue" | "createLlm"
> &
  Partial<Pick<CliContext, "config">> & {
    /** Reads a file given on the command line (defaults to the file system). */
    readTextFile?(path: string): Promise<string>;
  };

/** JUDGE_SAMPLES, as the bot would use it; 1 when the configuration cannot say. */
export function judgeSamples(ctx: EvaluateContext): number {
  try {
    return ctx.config?.().evaluation.judgeSamples ?? 1;
  } catch {
    return 1;
  }
}

export { EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR } from "../errors/index.ts";

/** A judge or model failure in words for the trainer (its message is already written for them). */
export function whyFailed(e: unknown): string {
  if (e instanceof InvalidJudgementError || e instanceof LlmError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The catalogue's judge prompt (prompts/judge.md), or null when it has none. */
export function judgeTemplateFrom(catalogue: Catalogue): string | null {
  try {
    return catalogue.template("judge.md");
  } catch {
    return null;
  }
}
