// The LlmPort over any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure, DeepSeek, Qwen,
// Ollama, vLLM, LM Studio): structured replies validated locally, bounded retries, hard timeouts.
//
// The SDK's own retries are switched off: its timeouts are ten minutes and it honours retry-after
// of up to a minute. Here every attempt has a hard timeout and the call as a whole a deadline
// (attempts × timeout plus the waits between them), and a provider asking us to come back in ten
// minutes fails the call at once instead of freezing a turn.
import { randomUUID } from "node:crypto";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { z } from "zod";
import {
  type ChatMessage,
  type LlmCallSink,
  type LlmPort,
  LlmRefusedError,
  type LlmRole,
  LlmUnreachableError,
  type LlmUsage,
  type StructuredRequest,
  type StructuredResult,
} from "./port.ts";
import { hostOf, networkCode } from "./network.ts";

export { hostOf };

export interface LlmRoleSettings {
  /** Base URL of the OpenAI-compatible API, usually ending in /v1. */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** null leaves temperature out of the request (reasoning models reject other values). */
  temperature: number | null;
}

export interface LlmSettings {
  customer: LlmRoleSettings;
  judge: LlmRoleSettings;
  /** Hard limit for one HTTP request, including reading the body. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, connection failures and timeouts. */
  maxRetries: number;
  /** json_schema where the provider supports strict structured outputs; json_object otherwise. */
  structuredOutput: "json_schema" | "json_object";
  /** A retry-after longer than this fails the call at once instead of waiting. */
  maxRetryAfterMs: number;
}

export interface OpenAiLlmOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** First backoff step for retries without retry-after; doubles per attempt, with jitter. */
  retryBaseMs?: number;
}

const MAX_BACKOFF_MS = 8_000;
const SINK_WAIT_MS = 1_000;

export function createOpenAiLlm(
  settings: LlmSettings,
  sink: LlmCallSink | null,
  options: OpenAiLlmOptions = {},
): LlmPort {
  const now = options.now ?? Date.now;
  const clients: Record<LlmRole, OpenAI> = {
    customer: openAiClient(settings.customer, settings.timeoutMs, options.fetch),
    judge: openAiClient(settings.judge, settings.timeoutMs, options.fetch),
  };

  async function record(
    req: StructuredRequest<unknown>,
    purpose: string,
    model: string,
    startedAt: number,
    usage: LlmUsage,
    outcome: "ok" | "refused" | "unreachable" | "invalid",
    error: string | null,
  ): Promise<void> {
    if (!sink) return;
    try {
      const recording = sink.recordLlmCall({
        id: randomUUID(),
        sessionId: req.sessionId ?? null,
        role: req.role,
        purpose,
        model,
        startedAt,
        latencyMs: Math.max(0, now() - startedAt),
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        cachedPromptTokens: usage.cachedPromptTokens,
        outcome,
        error,
      });
      recording.catch(() => {});
      // Wait for the record (so it is there when the caller looks), but a stuck store gets a
      // second at most.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([recording, new Promise<void>((resolve) => (timer = setTimeout(resolve, SINK_WAIT_MS)))]);
      clearTimeout(timer);
    } catch {
      // Accounting must never cost the trainee a turn.
    }
  }

  return {
    modelFor: (role) => settings[role].model,

    async structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
      const role = settings[req.role];
      const label = `${req.role} model`;
      const host = hostOf(role.baseUrl);
      const purpose = req.purpose ?? req.schemaName;
      const mode = settings.structuredOutput;
      const jsonSchema = strictJsonSchema(req.schema);
      const schemaName = sanitizeSchemaName(req.schemaName);
      const temperature = req.temperature ?? role.temperature;
      const started = now();

      const baseMessages = mode === "json_object" ? withJsonInstruction(req.messages, jsonSchema) : req.messages;
      const responseFormat =
        mode === "json_schema"
          ? ({ type: "json_schema", json_schema: { name: schemaName, strict: true, schema: jsonSchema } } as const)
          : ({ type: "json_object" } as const);

      const send = (messages: ChatMessage[], callPurpose: string) =>
        completeWithRetries({
          client: clients[req.role],
          body: {
            model: role.model,
            messages,
            ...(temperature === null ? {} : { temperature }),
            response_format: responseFormat,
          },
          settings,
          label,
          host,
          signal: req.signal,
          now,
          retryBaseMs: options.retryBaseMs ?? 500,
          onDone: (model, startedAt, usage, outcome, error) =>
            record(req as StructuredRequest<unknown>, callPurpose, model, startedAt, usage, outcome, error),
        });

      const first = await send(baseMessages, purpose);
      const firstCheck = validate(first.content, req.schema);
      if (firstCheck.ok) {
        await first.report("ok", null);
        return { value: firstCheck.value, model: first.model, latencyMs: now() - started, usage: first.usage };
      }
      await first.report("invalid", "invalid_output");

      // One repair: show the model its own output and what was wrong with it.
      const repairMessages: ChatMessage[] = [
        ...baseMessages,
        // Some providers reject an empty assistant message.
        { role: "assistant", content: first.content === "" ? "(empty reply)" : first.content },
        {
          role: "user",
          content:
            `Your previous reply was not valid: ${firstCheck.problem}\n` +
            "Reply again with only the corrected json object that matches the required schema, nothing else.",
        },
      ];
      const second = await send(repairMessages, `${purpose}:repair`);
      const secondCheck = validate(second.content, req.schema);
      const usage = addUsage(first.usage, second.usage);
      if (secondCheck.ok) {
        await second.report("ok", null);
        return { value: secondCheck.value, model: second.model, latencyMs: now() - started, usage };
      }
      await second.report("invalid", "invalid_output");
      throw new LlmRefusedError(
        `${label}: reply did not match the expected format after one repair`,
        null,
        "invalid_output",
      );
    },
  };
}

/**
 * A client that takes nothing from OPENAI_* environment variables we did not mean it to, never
 * logs (debug logging writes request bodies, which hold transcripts) and never retries by itself.
 */
export function openAiClient(role: LlmRoleSettings, timeoutMs: number, fetchImpl: typeof fetch | undefined): OpenAI {
  return new OpenAI({
    // Local servers (Ollama, vLLM) need no key, but the SDK refuses to start without one.
    apiKey: role.apiKey === "" ? "unused" : role.apiKey,
    baseURL: role.baseUrl,
    organization: null,
    project: null,
    timeout: timeoutMs,
    maxRetries: 0,
    logLevel: "off",
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

interface CompletionOutcome {
  /** The message content ("" when the provider sent none). */
  content: string;
  model: string;
  usage: LlmUsage;
  /** Records the call once its content has been judged. */
  report(outcome: "ok" | "invalid", error: string | null): Promise<void>;
}

interface CompletionCall {
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
async function completeWithRetries(call: CompletionCall): Promise<CompletionOutcome> {
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

interface RetryDecision {
  error: LlmRefusedError | LlmUnreachableError;
  /** Milliseconds to wait before the next attempt; null: do not retry. */
  retryAfterMs: number | null;
}

function classify(err: unknown, call: CompletionCall, attempt: number): RetryDecision {
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

class TimedOut extends Error {}
class Cancelled extends Error {}

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

function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  const add = (x: number | null, y: number | null) => (x === null && y === null ? null : (x ?? 0) + (y ?? 0));
  return {
    promptTokens: add(a.promptTokens, b.promptTokens),
    completionTokens: add(a.completionTokens, b.completionTokens),
    cachedPromptTokens: add(a.cachedPromptTokens, b.cachedPromptTokens),
  };
}

type Validation<T> = { ok: true; value: T } | { ok: false; problem: string };

function validate<T>(content: string, schema: z.ZodType<T>): Validation<T> {
  const text = stripCodeFence(content);
  if (text === "") return { ok: false, problem: "the reply was empty." };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: "the reply was not valid JSON." };
  }
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: `the JSON did not match the schema:\n${z.prettifyError(result.error)}` };
}

/** Some models wrap JSON in a markdown fence even in JSON mode. */
function stripCodeFence(content: string): string {
  const text = content.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(text);
  return fenced?.[1] !== undefined ? fenced[1].trim() : text;
}

function withJsonInstruction(messages: ChatMessage[], schema: Record<string, unknown>): ChatMessage[] {
  // The word "json" must appear in the prompt for json_object mode (DeepSeek, OpenAI).
  const instruction = `Reply with one json object only, no other text, matching this JSON Schema:\n${JSON.stringify(schema)}`;
  const firstSystem = messages.findIndex((m) => m.role === "system");
  if (firstSystem === -1) return [{ role: "system", content: instruction }, ...messages];
  return messages.map((m, i) => (i === firstSystem ? { ...m, content: `${m.content}\n\n${instruction}` } : m));
}

function sanitizeSchemaName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  return cleaned === "" ? "reply" : cleaned;
}

/**
 * JSON Schema for OpenAI strict mode: every object lists all its properties as required and
 * forbids others. Optional fields in the core's schemas are also nullable, so "required" costs
 * nothing: the model sends null.
 */
export function strictJsonSchema(schema: z.ZodType<unknown>): Record<string, unknown> {
  const cached = strictSchemas.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  const strict = strictify(json) as Record<string, unknown>;
  strictSchemas.set(schema, strict);
  return strict;
}

const strictSchemas = new WeakMap<z.ZodType<unknown>, Record<string, unknown>>();

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    out[k] = k === "properties" || k === "$defs" || k === "definitions" ? mapValues(v, strictify) : strictify(v);
  }
  // zod writes an integer's safe range as minimum/maximum, keywords some providers reject (and the
  // range says nothing): "integer" alone means the same to a model.
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  // A number literal list (a score scale, a mood) is an integer enum.
  if (out.type === "number" && Array.isArray(out.enum) && out.enum.every(Number.isInteger)) out.type = "integer";
  const isObject = out.type === "object" || (out.properties !== undefined && typeof out.properties === "object");
  if (isObject) {
    const props = (out.properties ?? {}) as Record<string, unknown>;
    out.properties = props;
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

function mapValues(value: unknown, f: (v: unknown) => unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
}
