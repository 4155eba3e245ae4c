// The LLM port: what the core needs from a language model, and the two ways a call can fail.
// The core imports only this file; the OpenAI-compatible adapter lives beside it.
import type { Language } from "../domain/persona.ts";
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import type { z } from "zod";

export type LlmRole = "customer" | "judge";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface LlmUsage {
  promptTokens: number | null;
  completionTokens: number | null;
  cachedPromptTokens: number | null;
}

export interface StructuredRequest<T> {
  role: LlmRole;
  messages: ChatMessage[];
  /** The reply's shape; validated locally whatever the provider enforces. */
  schema: z.ZodType<T>;
  schemaName: string;
  /** Overrides the role's configured temperature (e.g. 0 for the judge). */
  temperature?: number;
  /** Which session the call serves, for the call log. */
  sessionId?: string | null;
  purpose?: string;
  signal?: AbortSignal;
}

export interface StructuredResult<T> {
  value: T;
  model: string;
  latencyMs: number;
  usage: LlmUsage;
}

export interface LlmPort {
  structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>>;
  /** The model name configured for a role (for audit records). */
  modelFor(role: LlmRole): string;
}

/**
 * Base of the LLM errors, like grammY's GrammyError / HttpError pair: catch by class, never by
 * parsing messages. The message is the adapter's technical sentence (role, host, status).
 */
export abstract class LlmError extends RoleplayError {
  abstract readonly kind: "refused" | "unreachable";
}

/**
 * The provider answered, and said no: an HTTP error status, a refusal, output cut off by the
 * token limit, a content filter, or output that is not the JSON asked for (after the repair try).
 */
export class LlmRefusedError extends LlmError {
  readonly kind = "refused" as const;
  readonly status: number | null;
  /** The provider's code (rate_limited, refusal, truncated, content_filter, invalid_output...). */
  readonly code: string;
  constructor(message: string, status: number | null, code: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
  localized(language: Language): string {
    return errorMessages(language).llmRefused(this.message);
  }
}

/** The request itself failed: connection refused, DNS, reset, or the per-call timeout. */
export class LlmUnreachableError extends LlmError {
  readonly kind = "unreachable" as const;
  readonly timedOut: boolean;
  readonly code: "llm_timeout" | "llm_unreachable";
  constructor(message: string, timedOut: boolean) {
    super(message);
    this.timedOut = timedOut;
    this.code = timedOut ? "llm_timeout" : "llm_unreachable";
  }
  localized(language: Language): string {
    return errorMessages(language).llmUnreachable(this.message);
  }
}

/** A record of one call, for cost and latency accounting. */
export interface LlmCallRecord {
  id: string;
  sessionId: string | null;
  role: LlmRole;
  purpose: string;
  model: string;
  startedAt: number;
  latencyMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedPromptTokens: number | null;
  /** "ok", "refused", "unreachable", "invalid" */
  outcome: string;
  error: string | null;
}

export interface LlmCallSink {
  recordLlmCall(call: LlmCallRecord): Promise<void>;
}
