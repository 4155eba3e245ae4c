// A judge that knows nothing of the rubric still cannot answer off-rubric: a fake model that fills
// the JSON Schema it is sent blindly (first enum value, empty strings, one item per list), through
// the real adapter over HTTP, produces a valid judgement for every shipped persona.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogue } from "../../src/catalogue/index.ts";
import type { Persona } from "../../src/domain/persona.ts";
import { evaluateTranscript, type JudgedTurn, loadJudgeTemplate } from "../../src/evaluation/index.ts";
import { createOpenAiLlm } from "../../src/llm/openai.ts";
import { type FakeLlm, schemaNameOf, startFakeLlm } from "../support/fake-llm.ts";
import { fillBlindly } from "../support/judge-reply.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const catalogue = loadCatalogue({ personasDir: join(root, "personas"), promptsDir: join(root, "prompts") });

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm({ models: ["judge-test"] });
  fake.respondWith((body) => {
    if (schemaNameOf(body) !== "evaluation") return { status: 400 };
    return { json: fillBlindly(body.response_format.json_schema.schema) };
  });
});
afterAll(async () => {
  await fake.close();
});

function llm() {
  return createOpenAiLlm(
    {
      customer: { baseUrl: fake.url, apiKey: "k", model: "judge-test", temperature: 0.8 },
      judge: { baseUrl: fake.url, apiKey: "k", model: "judge-test", temperature: 0 },
      timeoutMs: 5_000,
      maxRetries: 0,
      structuredOutput: "json_schema",
      maxRetryAfterMs: 1_000,
    },
    null,
    { retryBaseMs: 1 },
  );
}

function shortDialogue(p: Persona): JudgedTurn[] {
  const zh = p.language === "zh-CN";
  return [
    {
      seq: 1,
      speaker: "customer",
      text: zh ? "我要办事。" : "I need help.",
      mood: p.emotion.mood_start,
      responseMs: null,
    },
    { seq: 2, speaker: "trainee", text: zh ? "您好，请讲。" : "Hello, go ahead.", mood: null, responseMs: null },
  ];
}

describe("a judge that fills the schema blindly", () => {
  const personas = catalogue.personas();
  it("has personas to judge", () => {
    expect(personas.length).toBeGreaterThan(0);
  });

  for (const persona of personas) {
    it(`still gives a valid judgement for ${persona.id}`, async () => {
      const rubric = catalogue.rubric(persona.rubric, persona.language);
      if (!rubric) throw new Error(`no rubric ${persona.rubric} in ${persona.language}`);
      const before = fake.chatRequests.length;
      const e = await evaluateTranscript({
        persona,
        rubric,
        turns: shortDialogue(persona),
        outcome: "continue",
        llm: llm(),
        template: await loadJudgeTemplate(join(root, "prompts")),
      });
      // One call: the first answer already fits, no repair round was needed.
      expect(fake.chatRequests.length - before).toBe(1);
      expect(e.criteria.map((c) => c.criterionId)).toEqual(rubric.criteria.map((c) => c.id));
      for (const c of e.criteria) expect(c.score).toBe(rubric.scale.min);
      expect(e.total).toBe(0);
      expect(e.scenarioChecks.map((c) => c.checkId)).toEqual(persona.scenario_checks.map((c) => c.id));
      for (const c of e.scenarioChecks) expect(c.verdict).toBe("yes");
    });
  }
});
