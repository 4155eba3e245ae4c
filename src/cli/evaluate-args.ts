// `roleplay evaluate` arguments: one of three modes (a stored session, a dialogue file, a
// calibration folder), with the combinations that make no sense refused in the user's language.
import type { Language } from "../domain/persona.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import { ArgsError, parseCommandArgs } from "./args.ts";

export interface SessionArgs {
  kind: "session";
  sessionId: string;
  rerun: boolean;
  /** A trainer clears the steering flag: pass or fail is computed again without it. */
  clearFlag: boolean;
  json: boolean;
}
export interface FileArgs {
  kind: "file";
  file: string;
  personaId: string | null;
  repeat: number;
  json: boolean;
  /** Only the program's detectors: no model, no persona needed. */
  signalsOnly: boolean;
}
export interface CalibrateArgs {
  kind: "calibrate";
  dir: string;
  repeat: number;
  json: boolean;
}
export type EvaluateArgs = SessionArgs | FileArgs | CalibrateArgs;

const EVALUATE_OPTIONS = {
  rerun: { type: "boolean" },
  "clear-flag": { type: "boolean" },
  json: { type: "boolean" },
  file: { type: "string" },
  calibrate: { type: "string" },
  persona: { type: "string" },
  repeat: { type: "string" },
  "signals-only": { type: "boolean" },
} as const;

export type ParsedArgs = { ok: true; args: EvaluateArgs } | { ok: false; message: string | null };

export function parseEvaluateArgs(argv: string[], language: Language): ParsedArgs {
  const m = evaluateCliMessages(language);
  let parsed: ReturnType<typeof parseCommandArgs<typeof EVALUATE_OPTIONS>>;
  try {
    parsed = parseCommandArgs(argv, EVALUATE_OPTIONS, "roleplay evaluate", language);
  } catch (e) {
    if (e instanceof ArgsError) return { ok: false, message: e.message };
    throw e;
  }
  if (parsed.help) return { ok: false, message: null };
  const { rerun = false, json = false } = parsed.values;
  const signalsOnly = parsed.values["signals-only"] ?? false;
  const clearFlag = parsed.values["clear-flag"] ?? false;
  const file = parsed.values.file ?? null;
  const calibrate = parsed.values.calibrate ?? null;
  const personaId = parsed.values.persona ?? null;
  const [sessionId = null, ...extra] = parsed.positionals;
  if (extra.length > 0) return { ok: false, message: m.oneSessionOnly(extra.join(" ")) };
  let repeat: number | null = null;
  if (parsed.values.repeat !== undefined) {
    const n = Number(parsed.values.repeat);
    if (!Number.isInteger(n) || n < 1 || n > 20) return { ok: false, message: m.badRepeat };
    repeat = n;
  }
  if (calibrate !== null) {
    if (sessionId !== null || file !== null || personaId !== null || rerun) {
      return { ok: false, message: m.calibrateConflict };
    }
    return { ok: true, args: { kind: "calibrate", dir: calibrate, repeat: repeat ?? 1, json } };
  }
  if (clearFlag && (sessionId === null || file !== null || calibrate !== null || rerun)) {
    return { ok: false, message: m.clearFlagAlone };
  }
  if (sessionId !== null && file !== null) return { ok: false, message: m.sessionAndFile };
  if (file !== null) {
    if (rerun) return { ok: false, message: m.rerunWithFile };
    if (signalsOnly && repeat !== null) return { ok: false, message: m.signalsOnlyWithRepeat };
    return { ok: true, args: { kind: "file", file, personaId, repeat: repeat ?? 1, json, signalsOnly } };
  }
  if (signalsOnly) return { ok: false, message: m.signalsOnlyWithoutFile };
  if (sessionId === null) return { ok: false, message: m.nothingToEvaluate };
  if (repeat !== null) return { ok: false, message: m.repeatWithSession };
  return { ok: true, args: { kind: "session", sessionId, rerun, clearFlag, json } };
}
