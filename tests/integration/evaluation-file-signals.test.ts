// `roleplay evaluate --file` and the program's own detectors: `--signals-only` needs no model and
// no persona; the signals are printed even when the judge fails or no model is configured; a
// dialogue in another language than its persona, or written in another language than it says,
// gets a warning. Real catalogue, real adapter over HTTP to the fake LLM.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCatalogue } from "../../src/catalogue/index.ts";
import { type EvaluateContext, evaluateCommand } from "../../src/cli/evaluate.ts";
import type { Config } from "../../src/config.ts";
import type { Evaluation, Signals } from "../../src/domain/evaluation.ts";
import { createOpenAiLlm } from "../../src/llm/openai.ts";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { fillBlindly } from "../support/judge-reply.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const heldOut = join(root, "tests/fixtures/calibration-held-out");
const personasDir = join(root, "personas");
const promptsDir = join(root, "prompts");

let fake: FakeLlm;
let dir: string;
let out: string[];
let err: string[];
let llmCreated: number;

function context(language: "zh-CN" | "en", model: "fake" | "none" = "fake"): EvaluateContext {
  return {
    language,
    out: (line) => {
      out.push(line);
    },
    err: (line) => {
      err.push(line);
    },
    openStore: () => openStore(`sqlite:${join(dir, "db.sqlite")}`),
    loadCatalogue: () => loadCatalogue({ personasDir, promptsDir }),
    createLlm: (sink = null) => {
      llmCreated++;
      if (model === "none") throw new Error("No model is configured: set LLM_MODEL and LLM_API_KEY.");
      return createOpenAiLlm(
        {
          customer: { baseUrl: fake.url, apiKey: "k", model: "judge-test", temperature: 0.8 },
          judge: { baseUrl: fake.url, apiKey: "k", model: "judge-test", temperature: 0 },
          timeoutMs: 5_000,
          maxRetries: 0,
          structuredOutput: "json_schema",
          maxRetryAfterMs: 1_000,
        },
        sink,
        { retryBaseMs: 1 },
      );
    },
  };
}

function write(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

function traineeTurns(file: string): number {
  const t = parse(readFileSync(file, "utf8")) as { turns: Array<Record<string, string>> };
  return t.turns.filter((x) => "trainee" in x).length;
}

beforeEach(async () => {
  fake = await startFakeLlm({ models: ["judge-test"] });
  dir = mkdtempSync(join(tmpdir(), "eval-signals-"));
  out = [];
  err = [];
  llmCreated = 0;
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("evaluate --file --signals-only", () => {
  it("reads a dialogue with no persona and no model, with the default rubric of its language", async () => {
    const file = join(heldOut, "pairs/loan-declined-en/poor.yaml");
    const code = await evaluateCommand(["--file", file, "--signals-only", "--json"], context("en", "none"));
    expect(code, err.join("\n")).toBe(0);
    expect(llmCreated).toBe(0);
    expect(fake.chatRequests).toHaveLength(0);
    const r = JSON.parse(out.join("\n")) as { language: string; rubricId: string; personaId: null; signals: Signals };
    expect(r.language).toBe("en");
    expect(r.rubricId).toBe("default");
    expect(r.personaId).toBeNull();
    expect(r.signals.traineeTurns).toBe(traineeTurns(file));
  });

  it("prints the signals as Markdown in the trainer's language, for a Cantonese dialogue too", async () => {
    const file = join(heldOut, "pairs/hk-telecom-contract/better.yaml");
    const code = await evaluateCommand(["--file", file, "--signals-only"], context("zh-CN", "none"));
    expect(code, err.join("\n")).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("程序检测结果（未使用模型）");
    expect(text).toContain("评分标准：default（中文 (zh-CN)）");
    expect(text).toMatch(/^## /m);
    expect(err).toEqual([]);
  });

  it("with a persona named, uses its rubric; an unknown persona is a user error", async () => {
    const file = join(heldOut, "pairs/loan-declined-en/better.yaml");
    expect(
      await evaluateCommand(
        ["--file", file, "--signals-only", "--persona", "lost-card-report-en", "--json"],
        context("en", "none"),
      ),
    ).toBe(0);
    expect((JSON.parse(out.join("\n")) as { personaId: string }).personaId).toBe("lost-card-report-en");
    out = [];
    expect(
      await evaluateCommand(["--file", file, "--signals-only", "--persona", "nobody"], context("en", "none")),
    ).toBe(1);
    expect(err.join("\n")).toContain("nobody");
  });

  it("is wrong usage without --file, or with --repeat", async () => {
    expect(await evaluateCommand(["--signals-only"], context("en"))).toBe(2);
    expect(err.join("\n")).toContain("--signals-only applies to --file only");
    err = [];
    const file = join(heldOut, "pairs/loan-declined-en/poor.yaml");
    expect(await evaluateCommand(["--file", file, "--signals-only", "--repeat", "3"], context("en"))).toBe(2);
    expect(err.join("\n")).toContain("--repeat");
  });
});

describe("evaluate --file when there is no judgement", () => {
  const dialogue = `persona: lost-card-report-en
title: Lost card, handled briskly
turns:
  - customer: I've lost my wallet, my card was in it!
    mood: 2
  - trainee: Hello, I'm sorry, that's a horrible feeling. I'll block the card right now so nobody can use it.
  - customer: Thank you. What happens next?
    mood: 3
  - trainee: A new card will reach you in five working days, and I'll text you when it's posted.
`;

  it("a judge that refuses still leaves the detectors' signals on screen", async () => {
    fake.respondWith({ refusal: "I will not score this" });
    const file = write("refused.yaml", dialogue);
    const code = await evaluateCommand(["--file", file], context("en"));
    expect(code).toBe(1);
    const text = out.join("\n");
    expect(text).toContain("the program's own detectors still read the dialogue");
    expect(text).toContain("Rubric: default (English (en))");
    expect(err.join("\n")).toContain("The judge gave no valid evaluation");
  });

  it("with no model configured, the signals are printed and the reason given", async () => {
    const file = write("nomodel.yaml", dialogue);
    const code = await evaluateCommand(["--file", file, "--json"], context("en", "none"));
    expect(code).toBe(1);
    const r = JSON.parse(out.join("\n")) as { error: string; signals: Signals };
    expect(r.error).toContain("No model is configured");
    expect(r.signals.traineeTurns).toBe(2);
  });

  it("a dialogue with no persona gets its signals and is told how to name one for the judge", async () => {
    const file = join(heldOut, "singles/en-not-your-fault.yaml");
    const code = await evaluateCommand(["--file", file], context("en"));
    expect(code).toBe(1);
    expect(llmCreated).toBe(0);
    expect(out.join("\n")).toContain("no model used");
    expect(err.join("\n")).toContain("--persona");
  });
});

describe("a dialogue in another language", () => {
  it("than its persona's gets a warning", async () => {
    const file = write(
      "mismatch.yaml",
      `persona: lost-card-report
language: en
turns:
  - trainee: Hello, I'm sorry to hear that. Let me block the card for you now.
  - customer: Thanks.
`,
    );
    expect(await evaluateCommand(["--file", file, "--signals-only"], context("en", "none"))).toBe(0);
    expect(err.join("\n")).toMatch(/this dialogue is in English \(en\) but persona lost-card-report is in Chinese/);
  });

  it("than it says it is written in gets a warning", async () => {
    const file = write(
      "declared.yaml",
      `language: en
turns:
  - customer: 我的卡丢了！
  - trainee: 您好，别着急，我马上帮您挂失。
`,
    );
    expect(await evaluateCommand(["--file", file, "--signals-only"], context("zh-CN", "none"))).toBe(0);
    expect(err.join("\n")).toContain("文件写的是 language: en，但对话内容是中文 (zh-CN)");
  });

  it("a matching dialogue gets no warning", async () => {
    const file = join(heldOut, "pairs/tw-card-fraud/poor.yaml");
    expect(
      await evaluateCommand(
        ["--file", file, "--signals-only", "--persona", "lost-card-report"],
        context("zh-CN", "none"),
      ),
    ).toBe(0);
    expect(err).toEqual([]);
  });
});

describe("JUDGE_SAMPLES in evaluate --file", () => {
  const file = join(root, "tests/fixtures/calibration/lost-card-report-en/better.yaml");
  const withSamples = (n: number): EvaluateContext => ({
    ...context("en"),
    config: () => ({ evaluation: { judgeSamples: n } }) as Config,
  });

  it("judges the dialogue N times and reports the median with each criterion's scores", async () => {
    fake.respondWith((body) => ({ json: fillBlindly(body.response_format.json_schema.schema) }));
    expect(await evaluateCommand(["--file", file, "--json"], withSamples(3))).toBe(0);
    expect(fake.chatRequests).toHaveLength(3);
    const e = JSON.parse(out.join("\n")) as Evaluation;
    expect(e.samples?.requested).toBe(3);
    expect(e.samples?.judged).toBe(3);
    for (const c of e.samples?.criteria ?? []) expect(c.scores).toEqual([1, 1, 1]);
  });

  it("--repeat keeps one judgement per run: it measures the judge itself", async () => {
    fake.respondWith((body) => ({ json: fillBlindly(body.response_format.json_schema.schema) }));
    expect(await evaluateCommand(["--file", file, "--repeat", "2", "--json"], withSamples(3))).toBe(0);
    expect(fake.chatRequests).toHaveLength(2);
  });
});
