// The LLM boundary's one fault classifier: what the OpenAI SDK, fetch and our own timers throw,
// sorted into a few kinds (llmFault) by class and code, never by message text. The adapter turns
// a fault into the port's errors with a retry decision (classify); `llm check` into a finding.
import type { Language } from "../domain/persona.ts";
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { connectionFault, networkCode } from "./network.ts";
import type { LlmSettings } from "./openai.ts";
import { LlmRefusedError, LlmUnreachableError } from "./port.ts";

/** The longest wait between two attempts when the provider names none. */
export const MAX_BACKOFF_MS = 8_000;

/** What the classifier needs to know about the call. */
export interface FaultContext {
  label: string;
  host: string;
  settings: LlmSettings;
  retryBaseMs: number;
}

export interface RetryDecision {
  error: LlmRefusedError | LlmUnreachableError;
  /** Milliseconds to wait before the next attempt; null: do not retry. */
  retryAfterMs: number | null;
}

export type LlmFault =
  /** No answer in time: our own timer, the SDK's, or an AbortSignal.timeout. */
  | { kind: "timeout" }
  /** The caller's signal (or an abort we did not time) ended the call. */
  | { kind: "cancelled" }
  /** The provider answered with an error status. */
  | { kind: "http"; status: number; code: string | null; error: APIError }
  /** No connection: refused, DNS, reset; `code` is the system error code when there is one. */
  | { kind: "network"; code: string | null }
  /** A malformed response body or an SDK surprise. */
  | { kind: "unusable" };

export function llmFault(err: unknown): LlmFault {
  if (err instanceof TimedOut || err instanceof APIConnectionTimeoutError) return { kind: "timeout" };
  if (err instanceof Cancelled || err instanceof APIUserAbortError) return { kind: "cancelled" };
  if (err instanceof APIError && typeof err.status === "number") {
    return { kind: "http", status: err.status, code: providerCode(err), error: err };
  }
  const connection = connectionFault(err);
  if (connection !== null) return connection;
  if (err instanceof APIConnectionError) return { kind: "network", code: networkCode(err) };
  return { kind: "unusable" };
}

/** A failed attempt as the port's error, and whether (and when) to try again. */
export function classify(err: unknown, call: FaultContext, attempt: number): RetryDecision {
  const { label, host, settings } = call;
  const canRetry = attempt < settings.maxRetries;
  const fault = llmFault(err);
  switch (fault.kind) {
    case "timeout":
      // Nothing was answered, so nothing was done: asking again is safe. At once, since the wait
      // has already been spent; the call's overall deadline still bounds every attempt together.
      return {
        error: new LlmUnreachableError(`${label}: no answer from ${host} within ${settings.timeoutMs} ms`, true),
        retryAfterMs: canRetry ? 0 : null,
      };
    case "cancelled":
      return { error: new LlmUnreachableError(`${label}: call cancelled`, false), retryAfterMs: null };
    case "http": {
      const status = fault.status;
      const code = status === 429 ? "rate_limited" : (fault.code ?? `http_${status}`);
      const error = new LlmRefusedError(`${label}: HTTP ${status} from ${host}`, status, code);
      const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
      if (!retryable || !canRetry) return { error, retryAfterMs: null };
      if (status === 429 || status === 503) {
        const asked = retryAfterMs(fault.error.headers);
        if (asked !== null) {
          if (asked <= settings.maxRetryAfterMs) return { error, retryAfterMs: asked };
          const wait = Math.ceil(asked / 1000);
          return {
            error: new LlmRefusedError(
              `${label}: HTTP ${status} from ${host}, asked to retry after ${wait} s`,
              status,
              "rate_limited",
            ),
            retryAfterMs: null,
          };
        }
      }
      return { error, retryAfterMs: backoff(attempt, call.retryBaseMs) };
    }
    case "network": {
      const reason = fault.code;
      const error = new LlmUnreachableError(`${label}: cannot reach ${host}${reason ? ` (${reason})` : ""}`, false);
      return { error, retryAfterMs: canRetry ? backoff(attempt, call.retryBaseMs) : null };
    }
    case "unusable":
      // Say where, never what the response contained.
      return { error: new LlmUnreachableError(`${label}: unusable response from ${host}`, false), retryAfterMs: null };
  }
}

/** Our own timer ran out (withHardTimeout); classify turns it into an LlmUnreachableError. */
export class TimedOut extends RoleplayError {
  readonly code = "llm_attempt_timed_out";
  constructor() {
    super(errorMessages("en").llmAttemptTimedOut);
  }
  localized(language: Language): string {
    return errorMessages(language).llmAttemptTimedOut;
  }
}

/** The caller's signal aborted the call; classify turns it into an LlmUnreachableError. */
export class Cancelled extends RoleplayError {
  readonly code = "llm_call_cancelled";
  constructor() {
    super(errorMessages("en").llmCallCancelled);
  }
  localized(language: Language): string {
    return errorMessages(language).llmCallCancelled;
  }
}

/** Exponential backoff with jitter (between half and all of the step), so callers spread out. */
function backoff(attempt: number, baseMs: number): number {
  const step = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.round(step / 2 + Math.random() * (step / 2));
}

/** retry-after-ms (OpenAI, Azure), else retry-after in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  }
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  return null;
}

function providerCode(err: APIError): string | null {
  const code = err.code;
  return typeof code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : null;
}
