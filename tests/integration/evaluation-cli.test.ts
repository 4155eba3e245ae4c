// `roleplay evaluate` with the real catalogue (personas/, prompts/), the real LLM adapter talking
// HTTP to the fake judge, and a real SQLite file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCatalogue } from "../../src/catalogue/index.ts";
import { type EvaluateContext, evaluateCommand } from "../../src/cli/evaluate.ts";
import type { Evaluation } from "../../src/domain/evaluation.ts";
import { createEvaluator } from "../../src/evaluation/index.ts";
import { createOpenAiLlm } from "../../src/llm/openai.ts";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlm, type FakeRequestBody, startFakeLlm } from "../support/fake-llm.ts";
import { judgeReply } from "../support/judge-reply.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const calibrationDir = join(root, "tests/fixtures/calibration");
const personasDir = join(root, "personas");
const promptsDir = join(root, "prompts");

let fake: FakeLlm;
let dir: string;
let dbUrl: string;
let out: string[];
let err: string[];

/**
 * A judge that reads the prompt it was sent: it scores every criterion listed there (with
 * `scores(call)`), answers every scenario check, and quotes the first trainee turn verbatim.
 */
function ruleFollowingJudge(scores: (call: number) => number = () => 3) {
  let calls = 0;
  return (body: FakeRequestBody) => {
    calls++;
    const user: string = body.messages.find((m: { role: string }) => m.role === "user").content;
    const criteria = [...user.matchAll(/criterion_id "([^"]+)"/g)].map((m) => m[1]);
    const checks = [...user.matchAll(/check_id "([^"]+)"/g)].map((m) => m[1]);
    const firstTrainee = /\[turn (\d+)\] trainee: (.+)/.exec(user);
    const evidence = firstTrainee
      ? [{ turn: Number(firstTrainee[1]), quote: (firstTrainee[2] ?? "").slice(0, 8) }]
      : [];
    return {
      json: judgeReply({
        criteria: criteria.map((id) => ({
          criterion_id: id as string,
          observation: "observed",
          evidence,
          score: scores(calls),
          better_phrasing: { you_said: null, turn: null, try_instead: "say more" },
        })),
        scenario_checks: checks.map((id) => ({ check_id: id as string, verdict: "yes", note: "ok" })),
        flags: { taboos: [], manipulation: [], principle_violations: [] },
        summary: "summary",
      }),
    };
  };
}

function context(language: "zh-CN" | "en" = "en"): EvaluateContext {
  return {
    language,
    out: (line) => {
      out.push(line);
    },
    err: (line) => {
      err.push(line);
    },
    openStore: () => openStore(dbUrl),
    loadCatalogue: () => loadCatalogue({ personasDir, promptsDir }),
    createLlm: (sink = null) =>
      createOpenAiLlm(
        {
          customer: { baseUrl: fake.url, apiKey: "k", model: "customer-test", temperature: 0.8 },
          judge: { baseUrl: fake.url, apiKey: "k", model: "judge-test", temperature: 0.5 },
          timeoutMs: 5_000,
          maxRetries: 0,
          structuredOutput: "json_schema",
          maxRetryAfterMs: 1_000,
        },
        sink,
        { retryBaseMs: 1 },
      ),
  };
}

beforeEach(async () => {
  fake = await startFakeLlm({ models: ["judge-test"] });
  dir = mkdtempSync(join(tmpdir(), "eval-cli-"));
  dbUrl = `sqlite:${join(dir, "db.sqlite")}`;
  out = [];
  err = [];
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const pairs = existsSync(calibrationDir)
  ? readdirSync(calibrationDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

describe("roleplay evaluate --file", () => {
  // Two commands per dialogue of the whole set: the time grows with the set, not with one run.
  it("on every calibration pair: the poor dialogue's report lists its taboo signals, the better one's its empathy", {
    timeout: 120_000,
  }, async () => {
    expect(pairs.length).toBeGreaterThanOrEqual(8);
    fake.respondWith(ruleFollowingJudge());
    for (const pair of pairs) {
      for (const which of ["poor", "better"] as const) {
        out = [];
        const file = join(calibrationDir, pair, `${which}.yaml`);
        const code = await evaluateCommand(["--file", file, "--json"], context());
        expect(code, `${pair}/${which}: ${err.join("\n")}`).toBe(0);
        const e = JSON.parse(out.join("\n")) as Evaluation;
        out = [];
        expect(await evaluateCommand(["--file", file], context())).toBe(0);
        const report = out.join("\n");
        const signals = report.slice(report.indexOf("## Signals"), report.indexOf("## Transcript"));
        if (which === "poor") {
          expect(e.signals.taboo.length, `${pair}/poor taboo`).toBeGreaterThan(0);
          for (const hit of e.signals.taboo) expect(signals).toContain(hit.phrase);
        } else {
          expect(e.signals.taboo, `${pair}/better taboo`).toEqual([]);
          expect(e.signals.empathy.length, `${pair}/better empathy`).toBeGreaterThan(0);
          for (const hit of e.signals.empathy) expect(signals).toContain(hit.phrase);
        }
      }
    }
  });

  it("--repeat N runs the judge N times and reports each criterion's spread", async () => {
    const pair = pairs[0] as string;
    fake.respondWith(ruleFollowingJudge((call) => [2, 3, 4][(call - 1) % 3] as number));
    const code = await evaluateCommand(["--file", join(calibrationDir, pair, "poor.yaml"), "--repeat", "3"], context());
    expect(code, err.join("\n")).toBe(0);
    expect(fake.chatRequests).toHaveLength(3);
    const text = out.join("\n");
    expect(text).toContain("Judge consistency over 3 runs");
    // Every criterion scored 2, 3 and 4: min 2, max 4, mean 3, stdev 0.82.
    expect(text).toMatch(/\| 2, 3, 4 \| 2 \| 4 \| 3 \| 0\.82 \|/);
  });

  it("--persona overrides the file's persona and an unknown one is a user error", async () => {
    const file = join(calibrationDir, pairs[0] as string, "poor.yaml");
    expect(await evaluateCommand(["--file", file, "--persona", "no-such-persona"], context())).toBe(1);
    expect(err.join("\n")).toContain("no-such-persona");
    expect(fake.chatRequests).toHaveLength(0);
  });

  it("a card number in a transcript file is masked before the judge sees it", async () => {
    const file = join(dir, "pii.yaml");
    writeFileSync(
      file,
      [
        "persona: atm-counterfeit-note",
        "turns:",
        "  - customer: 你们这取款机出假钱！",
        "  - trainee: 您好，非常抱歉让您着急了。请问您的卡号是 6222 0212 3456 7890 123 吗？",
        "  - customer: 对。",
        "  - trainee: 我们可以马上帮您查这台机器的记录。",
      ].join("\n"),
    );
    fake.respondWith(ruleFollowingJudge());
    expect(await evaluateCommand(["--file", file], context()), err.join("\n")).toBe(0);
    const sent = JSON.stringify(fake.chatRequests.map((r) => r.body));
    expect(sent).toContain("非常抱歉让您着急了");
    expect(sent).not.toContain("6222 0212 3456 7890 123");
    expect(sent).not.toContain("3456");
  });

  it("an invalid transcript file is a user error naming the file", async () => {
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "persona: atm-counterfeit-note\nturns:\n  - agent: hello\n");
    expect(await evaluateCommand(["--file", file], context())).toBe(1);
    expect(err.join("\n")).toContain("broken.yaml");
  });

  it("a judge that never answers validly is a user error and prints no score, only the detectors' signals", async () => {
    fake.respondWith({ refusal: "no" });
    const file = join(calibrationDir, pairs[0] as string, "better.yaml");
    expect(await evaluateCommand(["--file", file], context())).toBe(1);
    const text = out.join("\n");
    expect(text).toContain("the program's own detectors still read the dialogue");
    expect(text).not.toMatch(/\/ ?100/);
    expect(text).not.toMatch(/\d\/5/);
  });

  it("wrong usage exits with 2 and the usage text", async () => {
    for (const args of [
      [],
      ["--repeat", "0", "--file", "x.yaml"],
      ["s1", "--file", "x.yaml"],
      ["--bogus"],
      ["s1", "--repeat", "2"],
    ]) {
      err = [];
      expect(await evaluateCommand(args, context()), args.join(" ")).toBe(2);
      expect(err.join("\n")).toContain("roleplay evaluate");
    }
  });
});

describe("roleplay evaluate SESSION_ID", () => {
  async function evaluatedSession(): Promise<string> {
    const catalogue = loadCatalogue({ personasDir, promptsDir });
    const transcript = parse(readFileSync(join(calibrationDir, "atm-counterfeit-note", "better.yaml"), "utf8")) as {
      persona: string;
      turns: Array<{ trainee?: string; customer?: string; mood?: number }>;
    };
    const persona = catalogue.persona(transcript.persona);
    const rubric = persona && catalogue.rubric(persona.rubric, persona.language);
    if (!persona || !rubric) throw new Error("fixture persona or rubric missing");
    const store = await openStore(dbUrl);
    try {
      await store.upsertTrainee({ platform: "console", userId: "u1", displayName: "Lin" }, 1);
      await store.createSession({
        id: "s1",
        traineeId: "console:u1",
        personaId: persona.id,
        personaHash: persona.hash,
        personaSnapshot: JSON.stringify(persona),
        rubricId: rubric.id,
        rubricHash: rubric.hash,
        rubricSnapshot: JSON.stringify(rubric),
        language: persona.language,
        place: { platform: "console", scopeId: null, chatId: "c", threadId: null },
        mood: persona.emotion.mood_start,
        startedAt: 1000,
      });
      for (const t of transcript.turns) {
        await store.appendTurn({
          sessionId: "s1",
          speaker: t.trainee !== undefined ? "trainee" : "customer",
          text: t.trainee ?? t.customer ?? "",
          at: 2000,
          inboundKey: null,
          platformMessageId: null,
          mood: t.mood ?? null,
          triggerId: null,
          reason: null,
          responseMs: null,
        });
      }
      await store.updateSession("s1", { status: "ended", outcome: "satisfied", endedAt: 61_000 });
      fake.respondWith(ruleFollowingJudge(() => 4));
      const ev = createEvaluator({ store, llm: await context().createLlm(store), promptsDir });
      const r = await ev.requestEvaluation("s1");
      if (r.kind !== "ready") throw new Error(`evaluation ${r.kind}`);
    } finally {
      await store.close();
    }
    return "s1";
  }

  it("prints the full report of the latest evaluation", async () => {
    const id = await evaluatedSession();
    expect(await evaluateCommand([id], context("zh-CN"))).toBe(0);
    const report = out.join("\n");
    expect(report).toContain("# 评估报告");
    expect(report).toContain("## 对话记录");
    expect(report).toContain("judge-test");
  });

  it("--rerun adds an evaluation and keeps the earlier one; --json prints it", async () => {
    const id = await evaluatedSession();
    fake.respondWith(ruleFollowingJudge(() => 2));
    expect(await evaluateCommand([id, "--rerun", "--json"], context()), err.join("\n")).toBe(0);
    const rerun = JSON.parse(out.join("\n")) as Evaluation;
    expect(rerun.criteria.every((c) => c.score === 2)).toBe(true);
    const store = await openStore(dbUrl);
    try {
      expect((await store.listEvaluations(id)).map((e) => e.criteria[0]?.score)).toEqual([2, 4]);
    } finally {
      await store.close();
    }
  });

  it("an unknown session is a user error", async () => {
    expect(await evaluateCommand(["nope"], context())).toBe(1);
    expect(err.join("\n")).toContain("nope");
  });
});
