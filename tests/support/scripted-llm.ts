// An in-process LlmPort test double for core tests (no network): answers from a script (one value
// per call, or a function of the request) and records every request it received.
import type { LlmPort, LlmRole, StructuredRequest, StructuredResult } from "../../src/llm/port.ts";

export type ScriptStep = unknown | Error | ((req: StructuredRequest<unknown>) => unknown | Promise<unknown>);

export interface ScriptedLlm extends LlmPort {
  readonly requests: StructuredRequest<unknown>[];
  /** Appends more scripted answers. */
  push(...steps: ScriptStep[]): void;
}

export function scriptedLlm(steps: ScriptStep[] = [], models: Partial<Record<LlmRole, string>> = {}): ScriptedLlm {
  const queue = [...steps];
  const requests: StructuredRequest<unknown>[] = [];
  return {
    requests,
    push: (...more) => queue.push(...more),
    modelFor: (role) => models[role] ?? `scripted-${role}`,
    async structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
      requests.push(req as StructuredRequest<unknown>);
      if (queue.length === 0) throw new Error(`scripted LLM: no answer left for call ${requests.length}`);
      let step = queue.shift();
      if (typeof step === "function")
        step = await (step as (r: StructuredRequest<unknown>) => unknown)(req as StructuredRequest<unknown>);
      if (step instanceof Error) throw step;
      // Validate like the real adapter does, so a test cannot feed the core an impossible value.
      const value = req.schema.parse(step);
      return {
        value,
        model: models[req.role] ?? `scripted-${req.role}`,
        latencyMs: 0,
        usage: { promptTokens: null, completionTokens: null, cachedPromptTokens: null },
      };
    },
  };
}
