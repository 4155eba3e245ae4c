// One chat completion under the bounded retry policy: a hard timeout per attempt, a deadline for
// the call as a whole, waits between attempts as faults.ts decides, and every outcome recorded
// once through the call's sink.
import type OpenAI from "openai";
import { Cancelled, classify, MAX_BACKOFF_MS, TimedOut } from "./faults.ts";
import type { LlmSettings } from "./openai.ts";
import { LlmRefusedError, LlmUnreachableError, type LlmUsage } from "./port.ts";

export interface CompletionOutcome {
  /** The message content ("" when the provider sent none). */
  content: string;
  model: string;
  usage: LlmUsage;
  /** Records the call once its content has been judged. */
  report(outcome: "ok" | "invalid", error: string | null): Promise<void>;
}

export interface CompletionCall {
  client: OpenAI;
  body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
  settings: LlmSettings;
  label: string;
  host: string;
  signal: AbortSignal | undefined;
  now: () => number;
  retryBaseMs: number;
  onDone(
    model: string,
    startedAt: number,
    usage: LlmUsage,
    outcome: "ok" | "refused" | "unreachable" | "invalid",
    error: string | null,
  ): Promise<void>;
}

const NO_USAGE: LlmUsage = { promptTokens: null, completionTokens: null, cachedPromptTokens: null };

/**
 * One chat completion with the bounded retry policy. Resolves with the content for validation;
 * throws LlmRefusedError / LlmUnreachableError (already recorded) for everything else.
 */
export async function completeWithRetries(call: CompletionCall): Promise<CompletionOutcome> {
  const { settings, label, host, now } = call;
  const startedAt = now();
  const configuredModel = call.body.model;
  // Worst case: every attempt runs to its timeout and every wait is the longest allowed.
  const deadline =
    startedAt +
    settings.timeoutMs * (settings.maxRetries + 1) +
    settings.maxRetries * Math.max(settings.maxRetryAfterMs, MAX_BACKOFF_MS);

  const fail = async (err: LlmRefusedError | LlmUnreachableError): Promise<never> => {
    const code = err instanceof LlmRefusedError ? err.code : err.timedOut ? "timeout" : "unreachable";
    await call.onDone(configuredModel, startedAt, NO_USAGE, err.kind, code);
    throw err;
  };

  for (let attempt = 0; ; attempt++) {
    if (call.signal?.aborted) return fail(new LlmUnreachableError(`${label}: call cancelled`, false));
    const remaining = deadline - now();
    if (remaining <= 0) return fail(new LlmUnreachableError(`${label}: no answer from ${host} in time`, true));

    let completion: OpenAI.Chat.ChatCompletion;
    try {
      completion = await withHardTimeout(
        (signal) => call.client.chat.completions.create(call.body, { signal, maxRetries: 0 }),
        Math.min(settings.timeoutMs, remaining),
        call.signal,
      );
    } catch (err) {
      const decision = classify(err, call, attempt);
      if (decision.retryAfterMs === null) return fail(decision.error);
      if (now() + decision.retryAfterMs >= deadline) return fail(decision.error);
      const slept = await sleep(decision.retryAfterMs, call.signal);
      if (!slept) return fail(new LlmUnreachableError(`${label}: call cancelled`, false));
      continue;
    }

    const usage = usageOf(completion);
    const model = typeof completion.model === "string" && completion.model !== "" ? completion.model : configuredModel;
    const choice = completion.choices?.[0];
    const recordRefusal = async (message: string, code: string): Promise<never> => {
      await call.onDone(model, startedAt, usage, "refused", code);
      throw new LlmRefusedError(message, null, code);
    };
    if (!choice) return recordRefusal(`${label}: empty answer from ${host}`, "no_choice");
    if (typeof choice.message?.refusal === "string" && choice.message.refusal !== "") {
      return recordRefusal(`${label}: the model refused to answer`, "refusal");
    }
    if (choice.finish_reason === "length")
      return recordRefusal(`${label}: reply cut off by the token limit`, "truncated");
    if (choice.finish_reason === "content_filter") {
      return recordRefusal(`${label}: reply blocked by the provider's content filter`, "content_filter");
    }
    return {
      content: typeof choice.message?.content === "string" ? choice.message.content : "",
      model,
      usage,
      report: (outcome, error) => call.onDone(model, startedAt, usage, outcome, error),
    };
  }
}

/**
 * Runs one request under its own AbortController: aborted by our timer (TimedOut) or the caller's
 * signal (Cancelled). The race makes the bound hold even if the SDK misses an abort while reading.
 */
async function withHardTimeout<R>(
  run: (signal: AbortSignal) => Promise<R>,
  ms: number,
  outer: AbortSignal | undefined,
): Promise<R> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimedOut());
      controller.abort();
    }, ms);
    if (outer) {
      onOuterAbort = () => {
        reject(new Cancelled());
        controller.abort();
      };
      if (outer.aborted) onOuterAbort();
      else outer.addEventListener("abort", onOuterAbort, { once: true });
    }
  });
  const work = run(controller.signal);
  // The losing side of the race must not surface as an unhandled rejection.
  work.catch(() => {});
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (outer && onOuterAbort) outer.removeEventListener("abort", onOuterAbort);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function usageOf(completion: OpenAI.Chat.ChatCompletion): LlmUsage {
  const u = completion.usage;
  if (!u) return NO_USAGE;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    promptTokens: num(u.prompt_tokens),
    completionTokens: num(u.completion_tokens),
    cachedPromptTokens: num(u.prompt_tokens_details?.cached_tokens),
  };
}

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  const add = (x: number | null, y: number | null) => (x === null && y === null ? null : (x ?? 0) + (y ?? 0));
  return {
    promptTokens: add(a.promptTokens, b.promptTokens),
    completionTokens: add(a.completionTokens, b.completionTokens),
    cachedPromptTokens: add(a.cachedPromptTokens, b.cachedPromptTokens),
  };
}
