// The LLM boundary's one fault classifier: what the OpenAI SDK, fetch and our own timers throw,
// turned into the port's errors (LlmRefusedError, LlmUnreachableError) with a retry decision.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { networkCode } from "./network.ts";
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

export function classify(err: unknown, call: FaultContext, attempt: number): RetryDecision {
  const { label, host, settings } = call;
  const canRetry = attempt < settings.maxRetries;
  if (err instanceof TimedOut || err instanceof APIConnectionTimeoutError) {
    // Nothing was answered, so nothing was done: asking again is safe. At once, since the wait has
    // already been spent; the call's overall deadline still bounds every attempt together.
    return {
      error: new LlmUnreachableError(`${label}: no answer from ${host} within ${settings.timeoutMs} ms`, true),
      retryAfterMs: canRetry ? 0 : null,
    };
  }
  if (err instanceof Cancelled) {
    return { error: new LlmUnreachableError(`${label}: call cancelled`, false), retryAfterMs: null };
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    const code = status === 429 ? "rate_limited" : (providerCode(err) ?? `http_${status}`);
    const error = new LlmRefusedError(`${label}: HTTP ${status} from ${host}`, status, code);
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    if (!retryable || !canRetry) return { error, retryAfterMs: null };
    if (status === 429 || status === 503) {
      const asked = retryAfterMs(err.headers);
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
  if (err instanceof APIConnectionError || isNetworkError(err)) {
    const reason = networkCode(err);
    const error = new LlmUnreachableError(`${label}: cannot reach ${host}${reason ? ` (${reason})` : ""}`, false);
    return { error, retryAfterMs: canRetry ? backoff(attempt, call.retryBaseMs) : null };
  }
  // A malformed response body or an SDK surprise: say where, never what it contained.
  return { error: new LlmUnreachableError(`${label}: unusable response from ${host}`, false), retryAfterMs: null };
}

/** Our own timer ran out (withHardTimeout). */
export class TimedOut extends Error {}
/** The caller's signal aborted the call. */
export class Cancelled extends Error {}

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

function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed|network/i.test(err.message);
}
