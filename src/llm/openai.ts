// The LlmPort over any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure, DeepSeek, Qwen,
// Ollama, vLLM, LM Studio): structured replies validated locally, bounded retries, hard timeouts.
//
// The SDK's own retries are switched off: its timeouts are ten minutes and it honours retry-after
// of up to a minute. Here every attempt has a hard timeout and the call as a whole a deadline
// (attempts × timeout plus the waits between them), and a provider asking us to come back in ten
// minutes fails the call at once instead of freezing a turn.
import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { addUsage, completeWithRetries } from "./completion.ts";
import { sanitizeSchemaName, strictJsonSchema, validate, withJsonInstruction } from "./json-reply.ts";
import { hostOf } from "./network.ts";
import {
  type ChatMessage,
  type LlmCallSink,
  type LlmPort,
  LlmRefusedError,
  type LlmRole,
  type LlmUsage,
  type StructuredRequest,
  type StructuredResult,
} from "./port.ts";

export { hostOf };
export { retryAfterMs } from "./faults.ts";
export { strictJsonSchema } from "./json-reply.ts";

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
