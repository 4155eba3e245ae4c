// `roleplay evaluate --calibrate` over the real calibration set, with the real catalogue and LLM
// adapter talking HTTP to a fake judge whose scores are a known function of each file's expected
// scores, so every agreement figure can be worked out here independently of the command.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCatalogue } from "../../src/catalogue/index.ts";
import { type CalibrationReport, type EvaluateContext, evaluateCommand } from "../../src/cli/evaluate.ts";
import { createOpenAiLlm } from "../../src/llm/openai.ts";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlm, type FakeReply, type FakeRequestBody, startFakeLlm } from "../support/fake-llm.ts";
import { judgeReply } from "../support/judge-reply.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const calibrationDir = join(root, "tests/fixtures/calibration");
const personasDir = join(root, "personas");
const promptsDir = join(root, "prompts");

interface Fixture {
  file: string;
  persona: string;
  language: "zh-CN" | "en";
  trainee: string[];
  expected: Record<string, number>;
  expectedVerdict: "pass" | "fail" | null;
}

const fixtures: Fixture[] = readdirSync(calibrationDir, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith(".yaml"))
  .map((d) => join(d.parentPath, d.name))
  .sort()
  .map((path) => {
    const t = parse(readFileSync(path, "utf8")) as {
      persona: string;
      language?: "zh-CN" | "en";
      turns: Array<{ trainee?: string }>;
      expected: Record<string, number>;
      expected_verdict?: "pass" | "fail";
    };
    return {
      file: relative(calibrationDir, path).split(sep).join("/"),
      persona: t.persona,
      language: t.language ?? "zh-CN",
      trainee: t.turns.flatMap((x) => (x.trainee ? [x.trainee.trim()] : [])),
      expected: t.expected,
      expectedVerdict: t.expected_verdict ?? null,
    };
  });

/**
 * The fake judge's rule: it under-scores "can-do" by one on every better dialogue and over-scores
 * "empathy-first" by two on every poor one; every other score is the trainer's.
 */
function judged(f: Fixture, criterion: string): number {
  const e = f.expected[criterion] as number;
  if (criterion === "can-do" && f.file.endsWith("better.yaml")) return Math.max(1, e - 1);
  if (criterion === "empathy-first" && f.file.endsWith("poor.yaml")) return Math.min(5, e + 2);
  return e;
}

/** Which fixture the judge was sent: the one whose trainee lines the prompt holds, exactly one. */
function fixtureIn(user: string): Fixture {
  const found = fixtures.filter((f) => f.trainee.every((line) => user.includes(line)));
  if (found.length !== 1) throw new Error(`prompt matches ${found.length} fixtures`);
  return found[0] as Fixture;
}

function rulingJudge(fail: (f: Fixture) => boolean = () => false) {
  return (body: FakeRequestBody): FakeReply => {
    const user: string = body.messages.find((m: { role: string }) => m.role === "user").content;
    const f = fixtureIn(user);
    if (fail(f)) return { refusal: "I will not score this one" };
    const criteria = [...user.matchAll(/criterion_id "([^"]+)"/g)].map((m) => m[1] as string);
    const checks = [...user.matchAll(/check_id "([^"]+)"/g)].map((m) => m[1]);
    const first = /\[turn (\d+)\] trainee: (.+)/.exec(user);
    const evidence = first ? [{ turn: Number(first[1]), quote: (first[2] ?? "").slice(0, 8) }] : [];
    return {
      json: judgeReply({
        criteria: criteria.map((id) => ({
          criterion_id: id as string,
          observation: "observed",
          evidence,
          score: judged(f, id),
          better_phrasing: { you_said: null, turn: null, try_instead: "say more" },
        })),
        scenario_checks: checks.map((id) => ({ check_id: id as string, verdict: "yes", note: "ok" })),
        flags: { taboos: [], manipulation: [], principle_violations: [] },
        summary: "summary",
      }),
    };
  };
}

/** Cohen's kappa and quadratic-weighted kappa from the 5×5 confusion matrix (textbook form). */
function kappasByMatrix(pairs: Array<[number, number]>): { kappa: number | null; weighted: number | null } {
  const k = 5;
  const o = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [e, j] of pairs) (o[e - 1] as number[])[j - 1] = ((o[e - 1] as number[])[j - 1] as number) + 1;
  const n = pairs.length;
  const row = o.map((r) => r.reduce((a, b) => a + b, 0));
  const col = o[0]?.map((_, j) => o.reduce((a, r) => a + (r[j] as number), 0)) ?? [];
  let po = 0;
  let pe = 0;
  let wo = 0;
  let we = 0;
  for (let i = 0; i < k; i++) {
    po += ((o[i] as number[])[i] as number) / n;
    pe += ((row[i] as number) * (col[i] as number)) / (n * n);
    for (let j = 0; j < k; j++) {
      const w = (i - j) ** 2 / (k - 1) ** 2;
      wo += (w * ((o[i] as number[])[j] as number)) / n;
      we += (w * (row[i] as number) * (col[j] as number)) / (n * n);
    }
  }
  return { kappa: pe === 1 ? null : (po - pe) / (1 - pe), weighted: we === 0 ? null : 1 - wo / we };
}

function expectedFigures(included: Fixture[]) {
  const byCriterion = new Map<string, Array<[number, number]>>();
  for (const f of included) {
    for (const id of Object.keys(f.expected)) {
      const list = byCriterion.get(id) ?? [];
      list.push([f.expected[id] as number, judged(f, id)]);
      byCriterion.set(id, list);
    }
  }
  return byCriterion;
}

let fake: FakeLlm;
let dir: string;
let out: string[];
let err: string[];

function context(language: "zh-CN" | "en" = "en"): EvaluateContext {
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
    createLlm: (sink = null) =>
      createOpenAiLlm(
        {
          customer: { baseUrl: fake.url, apiKey: "k", model: "customer-test", temperature: 0.8 },
          judge: { baseUrl: fake.url, apiKey: "k", model: "judge-test", temperature: 0 },
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
  dir = mkdtempSync(join(tmpdir(), "eval-calibrate-"));
  out = [];
  err = [];
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function calibrate(args: string[], language: "zh-CN" | "en" = "en"): Promise<CalibrationReport> {
  const code = await evaluateCommand(["--calibrate", calibrationDir, "--json", ...args], context(language));
  expect(code, err.join("\n")).toBe(0);
  return JSON.parse(out.join("\n")) as CalibrationReport;
}

function assertFigures(report: CalibrationReport, included: Fixture[], runs: number) {
  const byCriterion = expectedFigures(included);
  expect(report.criteria.map((c) => c.criterionId).sort()).toEqual([...byCriterion.keys()].sort());
  for (const c of report.criteria) {
    const pairs = byCriterion.get(c.criterionId) ?? [];
    const { kappa, weighted } = kappasByMatrix(pairs);
    expect(c.n, c.criterionId).toBe(pairs.length * runs);
    expect(c.exact, c.criterionId).toBeCloseTo(pairs.filter(([e, j]) => e === j).length / pairs.length, 12);
    expect(c.withinOne, c.criterionId).toBeCloseTo(
      pairs.filter(([e, j]) => Math.abs(e - j) <= 1).length / pairs.length,
      12,
    );
    if (kappa === null) expect(c.kappa).toBeNull();
    else expect(c.kappa, c.criterionId).toBeCloseTo(kappa, 10);
    if (weighted === null) expect(c.weightedKappa).toBeNull();
    else expect(c.weightedKappa, c.criterionId).toBeCloseTo(weighted, 10);
    expect(c.belowBar, c.criterionId).toBe(kappa !== null && kappa < 0.6);
  }
  const all = kappasByMatrix([...byCriterion.values()].flat());
  expect(report.overall.kappa).toBeCloseTo(all.kappa as number, 10);
  expect(report.overall.weightedKappa).toBeCloseTo(all.weighted as number, 10);
}

/** The verdict the judged scores give under the fixture's rubric (every scenario check answered yes). */
let catalogueOnce: ReturnType<typeof loadCatalogue> | null = null;
function judgedVerdict(f: Fixture): "pass" | "fail" {
  catalogueOnce ??= loadCatalogue({ personasDir, promptsDir });
  const catalogue = catalogueOnce;
  const persona = catalogue.persona(f.persona);
  const rubric = persona && catalogue.rubric(persona.rubric, f.language);
  if (!rubric) throw new Error(`no rubric for ${f.file}`);
  const weightSum = rubric.criteria.reduce((s, c) => s + c.weight, 0);
  const raw = rubric.criteria.reduce((s, c) => s + (c.weight * (judged(f, c.id) - 1)) / 4, 0);
  return Math.round((raw * 1000) / weightSum) / 10 >= rubric.pass_mark ? "pass" : "fail";
}

describe("roleplay evaluate --calibrate", () => {
  it("measures the judge on every calibration file: agreement and kappas per criterion match the judge's known bias", async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    fake.respondWith(rulingJudge());
    const report = await calibrate([]);
    expect(fake.chatRequests).toHaveLength(fixtures.length);
    expect(report.files).toEqual({ measured: fixtures.length, withoutExpected: 0 });
    expect(report.judgements).toEqual({ valid: fixtures.length, failed: 0 });
    assertFigures(report, fixtures, 1);
    // The biased criteria are the ones that disagree; the rest agree exactly.
    const can = report.criteria.find((c) => c.criterionId === "can-do");
    const empathy = report.criteria.find((c) => c.criterionId === "empathy-first");
    expect(can?.exact).toBeLessThan(1);
    expect(can?.withinOne).toBe(1);
    expect(empathy?.withinOne).toBeLessThan(1);
    // The largest disagreements are the two-point empathy over-scores of poor dialogues.
    expect(report.disagreements.length).toBe(10);
    for (const d of report.disagreements) {
      expect(d).toMatchObject({ criterionId: "empathy-first", difference: 2 });
      expect(d.file).toMatch(/poor\.yaml$/);
    }
    const withVerdict = fixtures.filter((f) => f.expectedVerdict !== null);
    const agree = withVerdict.filter((f) => judgedVerdict(f) === f.expectedVerdict).length;
    expect(report.verdicts).toMatchObject({ n: withVerdict.length, agree });
    expect(report.verdicts.mismatches.map((v) => v.file).sort()).toEqual(
      withVerdict.filter((f) => judgedVerdict(f) !== f.expectedVerdict).map((f) => f.file),
    );
  });

  it("a file the judge cannot score is listed with the error and left out; the others are still measured", async () => {
    const refused = "atm-counterfeit-note/poor.yaml";
    fake.respondWith(rulingJudge((f) => f.file === refused));
    const report = await calibrate([]);
    expect(report.judgements).toEqual({ valid: fixtures.length - 1, failed: 1 });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]?.file).toBe(refused);
    expect(report.failures[0]?.error).not.toBe("");
    expect(report.results.map((r) => r.file)).not.toContain(refused);
    assertFigures(
      report,
      fixtures.filter((f) => f.file !== refused),
      1,
    );

    out = [];
    expect(await evaluateCommand(["--calibrate", calibrationDir], context())).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("Not judged (1, left out of the figures)");
    expect(text).toContain(`- ${refused}: `);
  });

  it("--repeat N judges every file N times and counts each run as an item", async () => {
    fake.respondWith(rulingJudge());
    const report = await calibrate(["--repeat", "2"]);
    expect(fake.chatRequests).toHaveLength(fixtures.length * 2);
    expect(report.judgements.valid).toBe(fixtures.length * 2);
    assertFigures(report, fixtures, 2);
  });

  it("the Markdown report marks the criteria below kappa 0.6, in the trainer's language", async () => {
    fake.respondWith(rulingJudge());
    const below = [...expectedFigures(fixtures)]
      .filter(([, pairs]) => {
        const k = kappasByMatrix(pairs).kappa;
        return k !== null && k < 0.6;
      })
      .map(([id]) => id);
    expect(below.length).toBeGreaterThan(0);
    expect(await evaluateCommand(["--calibrate", calibrationDir], context("zh-CN"))).toBe(0);
    const rows = out.join("\n").split("\n");
    for (const line of rows.filter((l) => /^\| [a-z-]+ \|/.test(l))) {
      const id = line.split("|")[1]?.trim() as string;
      expect(line.includes("低于常用合格线（0.6）"), id).toBe(below.includes(id));
    }
    expect(rows.filter((l) => l.includes("低于常用合格线")).length).toBe(below.length);
    expect(out.join("\n")).toContain("分歧最大的评分");
  });

  it("a folder without expected scores gets only the detectors' table; an unknown persona is a user error; no judge is called", async () => {
    mkdirSync(join(dir, "set", "a"), { recursive: true });
    writeFileSync(
      join(dir, "set", "a", "poor.yaml"),
      "persona: atm-counterfeit-note\ntaboo_families: [blaming, arguing]\nturns:\n  - customer: 你好\n  - trainee: 都怪您自己\n",
    );
    writeFileSync(
      join(dir, "set", "a", "better.yaml"),
      "persona: atm-counterfeit-note\ntaboo_families: []\nturns:\n  - customer: 你好\n  - trainee: 您好\n",
    );
    expect(await evaluateCommand(["--calibrate", join(dir, "set")], context())).toBe(0);
    expect(err.join("\n")).toContain("No transcript file with expected scores");
    const table = out.join("\n");
    expect(table).toContain("Pairs separated (poor: a taboo hit; better: none, and an empathy hit): 0 of 1");
    expect(table).toContain("| Blaming the customer (`blaming`) | 1 | 1 | 0 | 0 | 0 |");
    expect(table).toContain("| Arguing with the customer (`arguing`) | 1 | 0 | 1 | 0 | 0 |");
    rmSync(join(dir, "set", "a", "better.yaml"));
    rmSync(join(dir, "set", "a", "poor.yaml"));

    err = [];
    writeFileSync(
      join(dir, "set", "a", "u.yaml"),
      "persona: no-such-persona\nturns:\n  - trainee: hello\nexpected:\n  can-do: 3\n",
    );
    expect(await evaluateCommand(["--calibrate", join(dir, "set")], context())).toBe(1);
    expect(err.join("\n")).toContain("a/u.yaml");
    expect(err.join("\n")).toContain("no-such-persona");

    err = [];
    expect(await evaluateCommand(["--calibrate", join(dir, "missing")], context())).toBe(1);
    expect(fake.chatRequests).toHaveLength(0);
  });

  it("--calibrate with a session id, --file, --persona or no folder is a usage error", async () => {
    for (const args of [
      ["--calibrate"],
      ["--calibrate", "d", "--file", "x.yaml"],
      ["s1", "--calibrate", "d"],
      ["--calibrate", "d", "--persona", "p"],
      ["--calibrate", "d", "--rerun"],
    ]) {
      err = [];
      expect(await evaluateCommand(args, context()), args.join(" ")).toBe(2);
      expect(err.join("\n")).toContain("--calibrate");
    }
  });
});
