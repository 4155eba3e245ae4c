// `roleplay evaluate`: show or re-run a session's evaluation, or score a written dialogue
// (`--file`), optionally several times to see how consistent the judge is on it, or measure the
// judge against the trainers' expected scores in a calibration folder (`--calibrate`).
// Each mode has its own module (evaluate-session, evaluate-file, evaluate-calibrate); this one
// parses the arguments and dispatches.
import { evaluateCliMessages } from "../evaluation/messages.ts";
import { parseEvaluateArgs } from "./evaluate-args.ts";
import { calibrateCommand } from "./evaluate-calibrate.ts";
import { EXIT_OK, EXIT_USAGE, type EvaluateContext } from "./evaluate-context.ts";
import { fileCommand } from "./evaluate-file.ts";
import { sessionCommand } from "./evaluate-session.ts";

export { type EvaluateArgs, type ParsedArgs, parseEvaluateArgs } from "./evaluate-args.ts";
export {
  type CalibrationJudgement,
  type CalibrationReport,
  type CriterionAgreement,
  calibrationReport,
} from "./evaluate-calibrate.ts";
export { EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, type EvaluateContext } from "./evaluate-context.ts";
export { type CriterionSpread, scoreSpread } from "./evaluate-file.ts";

/** Runs `roleplay evaluate ...`; returns the exit code (0 ok, 1 user error, 2 usage). */
export async function evaluateCommand(args: string[], ctx: EvaluateContext): Promise<number> {
  const parsed = parseEvaluateArgs(args, ctx.language);
  const m = evaluateCliMessages(ctx.language);
  if (!parsed.ok) {
    if (parsed.message === null) {
      ctx.out(m.usage);
      return EXIT_OK;
    }
    ctx.err(`${parsed.message}\n\n${m.usage}`);
    return EXIT_USAGE;
  }
  const chosen = parsed.args;
  if (chosen.kind === "session") return sessionCommand(chosen, ctx);
  if (chosen.kind === "calibrate") return calibrateCommand(chosen, ctx);
  return fileCommand(chosen, ctx);
}
