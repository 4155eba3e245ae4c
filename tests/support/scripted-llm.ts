// An in-process LlmPort test double for core tests (no network): answers from a script (one value
// per call, or a function of the request) and records every request it received.
import {
  type LlmPort,
  LlmRefusedError,
  type LlmRole,
  type StructuredRequest,
  type StructuredResult,
} from "../../src/llm/port.ts";
import { judgeReply, type ListedJudgement } from "./judge-reply.ts";

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
      // Like the real adapter: an answer that does not fit the schema gets one repair round (the
      // next scripted step), and a second misfit is a refusal.
      const next = async (): Promise<unknown> => {
        if (queue.length === 0) throw new Error(`scripted LLM: no answer left for call ${requests.length}`);
        let step = queue.shift();
        if (typeof step === "function")
          step = await (step as (r: StructuredRequest<unknown>) => unknown)(req as StructuredRequest<unknown>);
        if (step instanceof Error) throw step;
        // Judgements are easier to write as lists; the wire schema keys them by id.
        if (req.schemaName === "evaluation" && Array.isArray((step as Partial<ListedJudgement>)?.criteria))
          step = judgeReply(step as ListedJudgement);
        return step;
      };
      let check = req.schema.safeParse(await next());
      if (!check.success) {
        requests.push(req as StructuredRequest<unknown>);
        check = req.schema.safeParse(await next());
        if (!check.success) throw new LlmRefusedError("the JSON did not match the schema", 200, "invalid_json");
      }
      const value = check.data;
      return {
        value,
        model: models[req.role] ?? `scripted-${req.role}`,
        latencyMs: 0,
        usage: { promptTokens: null, completionTokens: null, cachedPromptTokens: null },
      };
    },
  };
}
