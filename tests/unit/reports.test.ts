// Manager summaries over a seeded March (tests/fixtures/reports/seed.ts): every expected number
// below is worked out by hand from that table, not taken from the code's output.
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "../../src/roleplay/api.ts";
import {
  BOM,
  buildSummary,
  chatSummaryText,
  classifyTrend,
  parsePeriod,
  readSessionRows,
  reportForChat,
  renderJson,
  renderMarkdown,
  renderSessionsCsv,
  renderTraineesCsv,
  sessionRows,
  toReportJson,
  type TeamSummary,
  traineesCsvPath,
} from "../../src/reports/index.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import {
  addSession,
  DISCORD_GUILD,
  evaluationFor,
  MARCH_FROM,
  MARCH_TO,
  NOW,
  seedMarch,
  TG_GROUP_A,
  TG_GROUP_B,
  TRAINEES,
} from "../fixtures/reports/seed.ts";

const DAY = 86_400_000;
let store: Store;
let march: TeamSummary;

beforeAll(async () => {
  store = await openStore("sqlite::memory:");
  await seedMarch(store);
  march = await buildSummary(store, { from: MARCH_FROM, to: MARCH_TO, scope: null, now: NOW, timeZone: "UTC" });
});
afterAll(async () => {
  await store.close();
});

const trainee = (name: string) => {
  const t = march.trainees.find((x) => x.displayName === name);
  if (!t) throw new Error(`no trainee ${name} in the summary`);
  return t;
};

describe("team totals", () => {
  it("counts the period's sessions by how they ended, and ignores sessions outside it", () => {
    // 16 seeded, one in February: 15. Evaluated 11 + ended 2 (pending, failed) = 13 completed.
    expect(march.totals).toMatchObject({
      started: 15,
      completed: 13,
      abandoned: 1,
      active: 1,
      evaluated: 11,
      passed: 10,
    });
  });

  it("averages only finished evaluations: a pending re-run's old score of 10 is left out", () => {
    // 50+60+70+80 + 80+70+60 + 90 + 70+72+71 = 773 over 11 sessions.
    expect(march.totals.averageScore).toBeCloseTo(773 / 11, 10);
    // Sorted: 50 60 60 70 70 [70] 71 72 80 80 90.
    expect(march.totals.medianScore).toBe(70);
    expect(march.totals.passRate).toBeCloseTo(10 / 11, 10);
  });

  it("lists evaluations still pending or failed", () => {
    expect(march.outstanding).toMatchObject({ pending: 1, running: 0, failed: 1 });
    expect(march.outstanding.sessions.map((s) => [s.sessionId, s.evalStatus])).toEqual([
      ["s09", "pending"],
      ["s15", "failed"],
    ]);
  });

  it("an empty period reports zero sessions and no scores rather than zeros", async () => {
    const empty = await buildSummary(store, {
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 1, 1),
      now: NOW,
      timeZone: "UTC",
    });
    expect(empty.totals).toEqual({
      started: 0,
      completed: 0,
      abandoned: 0,
      active: 0,
      evaluated: 0,
      passed: 0,
      passRate: null,
      averageScore: null,
      medianScore: null,
    });
    expect([
      empty.criteria,
      empty.trainees,
      empty.personas,
      empty.taboos,
      empty.manipulation,
      await readSessionRows(store, empty),
    ]).toEqual([[], [], [], [], [], []]);
    expect(renderMarkdown(empty, "en")).toContain("No sessions in this period.");
    expect(chatSummaryText(empty, "zh-CN")).toContain("该时间范围内没有练习");
  });
});

describe("criteria", () => {
  it("give the team average and the share below the middle of the scale, weakest first", () => {
    // empathy 2,2,3,4 4,4,3 5 3,4,3 = 37; solution 3,3,4,4 4,3,2 4 4,4,3 = 38; compliance 3,4,4,5 5,4,4 5 2,2,2 = 40.
    expect(march.criteria.map((c) => c.criterionId)).toEqual(["empathy", "solution", "compliance"]);
    const [empathy, solution, compliance] = march.criteria;
    expect(empathy?.average).toBeCloseTo(37 / 11, 10);
    expect(empathy?.averagePercent).toBeCloseTo(((37 / 11 - 1) / 4) * 100, 10);
    expect(empathy?.belowMiddleShare).toBeCloseTo(2 / 11, 10);
    expect(solution?.average).toBeCloseTo(38 / 11, 10);
    expect(solution?.belowMiddleShare).toBeCloseTo(1 / 11, 10);
    expect(compliance?.average).toBeCloseTo(40 / 11, 10);
    expect(compliance?.belowMiddleShare).toBeCloseTo(3 / 11, 10);
    expect(empathy?.name).toBe("共情与安抚");
  });
});

describe("trainees", () => {
  it("are listed from the lowest average to the highest", () => {
    expect(march.trainees.map((t) => t.displayName)).toEqual(["张三", "李四", "赵六", TRAINEES.wang.displayName]);
  });

  it("a steadily rising trainee is improving, with first, best and latest scores", () => {
    // Weighted (1,2,4,8): 1090/15 = 72.7 against a mean of 65: +7.7.
    expect(trainee("张三")).toMatchObject({
      sessions: 4,
      evaluated: 4,
      passed: 3,
      firstScore: 50,
      bestScore: 80,
      latestScore: 80,
      averageScore: 65,
      trend: "improving",
      lastPracticeAt: Date.UTC(2026, 2, 20, 9, 10),
      weakness: { criterionId: "empathy", name: "共情与安抚", times: 4 },
    });
  });

  it("a falling trainee is declining; a pending session counts as practice but not as a score", () => {
    // Weighted (1,2,4): 460/7 = 65.7 against 70: -4.3.
    expect(trainee("李四")).toMatchObject({
      sessions: 4,
      evaluated: 3,
      firstScore: 80,
      bestScore: 80,
      latestScore: 60,
      averageScore: 70,
      trend: "declining",
      lastPracticeAt: Date.UTC(2026, 2, 25, 9, 10),
      weakness: { criterionId: "solution", times: 3 },
    });
  });

  it("small ups and downs are flat; an active session is the latest practice", () => {
    // Weighted: 498/7 = 71.14 against 71: +0.14.
    expect(trainee("赵六")).toMatchObject({
      sessions: 6,
      evaluated: 3,
      firstScore: 70,
      bestScore: 72,
      latestScore: 71,
      trend: "flat",
      lastPracticeAt: Date.UTC(2026, 2, 30, 9, 5),
      weakness: { criterionId: "compliance", times: 3 },
    });
  });

  it("a trainee with one session has that score everywhere and not enough data for a trend", () => {
    expect(trainee(TRAINEES.wang.displayName)).toMatchObject({
      sessions: 1,
      evaluated: 1,
      firstScore: 90,
      bestScore: 90,
      latestScore: 90,
      trend: "not_enough_data",
      weakness: { criterionId: "solution", times: 1 },
    });
  });
});

describe("trend rule", () => {
  it("needs three scores", () => {
    expect(classifyTrend([40, 90])).toBe("not_enough_data");
  });
  it("turns at three points between the recency-weighted and the plain average", () => {
    // [60, 60, 67]: weighted (60+120+268)/7 = 64, mean 62.33: +1.67, flat.
    expect(classifyTrend([60, 60, 67])).toBe("flat");
    // A long record still has a trend: weights that doubled from the first of two thousand
    // sessions would overflow to Infinity and make every comparison false.
    const long = [...Array.from({ length: 1990 }, () => 50), ...Array.from({ length: 10 }, () => 90)];
    expect(classifyTrend(long)).toBe("improving");
    expect(classifyTrend(long.map((x) => 140 - x))).toBe("declining");
    // [60, 60, 72]: weighted (60+120+288)/7 = 66.86, mean 64: +2.86, still flat;
    // [60, 60, 73]: (60+120+292)/7 = 67.43, mean 64.33: +3.10, improving.
    expect(classifyTrend([60, 60, 72])).toBe("flat");
    expect(classifyTrend([60, 60, 73])).toBe("improving");
    // [70, 70, 61]: weighted 454/7 = 64.86, mean 67: -2.14, flat; [70, 70, 58]: 442/7 = 63.14 vs 66: -2.86, flat.
    expect(classifyTrend([70, 70, 61])).toBe("flat");
    expect(classifyTrend([70, 70, 58])).toBe("flat");
    // [70, 70, 55]: 430/7 = 61.43 vs 65: -3.57.
    expect(classifyTrend([70, 70, 55])).toBe("declining");
  });
});

describe("personas", () => {
  it("show attempts, pass rate and average against the declared difficulty, hardest first", () => {
    expect(march.personas.map((p) => [p.personaId, p.declaredDifficulty, p.attempts, p.evaluated])).toEqual([
      ["atm-counterfeit-note", "hard", 6, 4],
      ["frozen-account", "medium", 5, 4],
      ["card-fee", "easy", 4, 3],
    ]);
    const [atm, frozen, fee] = march.personas;
    expect(atm?.passRate).toBe(0.75); // 50 fails; 70, 80, 70 pass
    expect(atm?.averageScore).toBe(67.5);
    expect(frozen?.passRate).toBe(1);
    expect(frozen?.averageScore).toBe(70.5); // 60 80 70 72
    expect(fee?.averageScore).toBeCloseTo(221 / 3, 10); // 60 90 71
    expect(fee?.title).toBe('Card fee, "urgent"');
  });
});

describe("signals", () => {
  it("the most frequent taboo groups come first, counted only in finished evaluations", () => {
    expect(march.taboos).toEqual([
      { group: "blame", label: "推卸责任", hits: 3, sessions: 2, phrases: ["这不归我管", "不是我们的问题"] },
      { group: "impatience", label: "不耐烦", hits: 1, sessions: 1, phrases: ["你听不懂吗"] },
    ]);
  });

  it("flags the session with a manipulation attempt (the program's hit and the judge's flag)", () => {
    expect(march.manipulation).toEqual([
      {
        sessionId: "s10",
        traineeId: "telegram:1003",
        displayName: TRAINEES.wang.displayName,
        personaTitle: 'Card fee, "urgent"',
        startedAt: Date.UTC(2026, 2, 12, 9, 0),
        hits: 2,
      },
    ]);
  });
});

describe("scopes", () => {
  it("one Telegram group counts only its own sessions", async () => {
    const a = await buildSummary(store, {
      from: MARCH_FROM,
      to: MARCH_TO,
      scope: { platform: "telegram", scopeId: TG_GROUP_A },
      now: NOW,
      timeZone: "UTC",
    });
    // 张三 4 + 李四 4; evaluated 50 60 70 80 80 70 60 = 470 / 7.
    expect(a.totals).toMatchObject({ started: 8, evaluated: 7, passed: 6, medianScore: 70 });
    expect(a.totals.averageScore).toBeCloseTo(470 / 7, 10);
    expect(a.trainees.map((t) => t.displayName)).toEqual(["张三", "李四"]);
  });

  it("the same id on another platform is another place", async () => {
    const wrong = await buildSummary(store, {
      from: MARCH_FROM,
      to: MARCH_TO,
      scope: { platform: "discord", scopeId: TG_GROUP_A },
      now: NOW,
      timeZone: "UTC",
    });
    expect(wrong.totals.started).toBe(0);
  });
});

describe("periods", () => {
  it("reads days back from now and inclusive date ranges", () => {
    expect(parsePeriod("7d", NOW, "UTC")).toEqual({ from: NOW - 7 * DAY, to: NOW });
    expect(parsePeriod("90d", NOW, "UTC")).toEqual({ from: NOW - 90 * DAY, to: NOW });
    expect(parsePeriod("2026-01-01..2026-01-31", NOW, "UTC")).toEqual({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 1, 1),
    });
  });
  it("refuses what it cannot read", () => {
    for (const bad of ["", "week", "0d", "2026-02-30..2026-03-01", "2026-03-02..2026-03-01", "7"]) {
      expect(parsePeriod(bad, NOW, "UTC"), bad).toBeNull();
    }
  });
});

describe("CSV", () => {
  it("starts with a BOM and round-trips through a CSV parser with Chinese, commas, quotes and line breaks intact", async () => {
    const csv = await renderSessionsCsv(march, sessionRows(store, march), "zh-CN");
    expect(csv.startsWith(BOM)).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(rows).toHaveLength(15);
    const col = (name: string) => {
      const i = header?.indexOf(name) ?? -1;
      if (i < 0) throw new Error(`no column ${name}`);
      return i;
    };
    const wang = rows.find((r) => r[col("练习")] === "s10");
    expect(wang?.[col("学员")]).toBe('王五, "小王"\n二组');
    expect(wang?.[col("客户")]).toBe('Card fee, "urgent"');
    expect(wang?.[col("得分")]).toBe("90");
    expect(wang?.[col("共情与安抚")]).toBe("5");
    expect(wang?.[col("服务器或群组")]).toBe(TG_GROUP_B);
    // The pending session shows no score although an old evaluation exists.
    const pending = rows.find((r) => r[col("练习")] === "s09");
    expect(pending?.[col("得分")]).toBe("");
    expect(pending?.[col("评估")]).toBe("等待中");
    // Oldest first.
    expect(rows[0]?.[col("练习")]).toBe("s01");
  });

  it("has a per-trainee sheet with one row per trainee", () => {
    const csv = renderTraineesCsv(march, "en");
    expect(csv.startsWith(BOM)).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header?.slice(0, 3)).toEqual(["Trainee", "Trainee id", "Platform"]);
    expect(rows.map((r) => r[0])).toEqual(["张三", "李四", "赵六", '王五, "小王"\n二组']);
    const zhang = rows[0] ?? [];
    expect(zhang[(header ?? []).indexOf("Trend")]).toBe("improving");
    expect(zhang[(header ?? []).indexOf("Most frequent weakness")]).toBe("共情与安抚");
  });

  it("does not let a name run as an Excel formula", async () => {
    const s = await openStore("sqlite::memory:");
    try {
      const t = await s.upsertTrainee({ platform: "telegram", userId: "9", displayName: '=HYPERLINK("x")' }, NOW);
      await addSession(s, {
        id: "f1",
        traineeId: t.id,
        platform: "telegram",
        scopeId: "-100",
        personaId: "p",
        personaSnapshot: JSON.stringify({ title: "+cmd" }),
        startedAt: MARCH_FROM + DAY,
        status: "ended",
        evalStatus: "failed",
      });
      const summary = await buildSummary(s, { from: MARCH_FROM, to: MARCH_TO, now: NOW, timeZone: "UTC" });
      const rows = Papa.parse<string[]>((await renderSessionsCsv(summary, sessionRows(s, summary), "en")).slice(1), {
        skipEmptyLines: true,
      }).data;
      expect(rows[1]?.[3]).toBe('\'=HYPERLINK("x")');
      expect(rows[1]?.[8]).toBe("'+cmd");
      // A negative Telegram group id is a number, left alone.
      expect(rows[1]?.[6]).toBe("-100");
    } finally {
      await s.close();
    }
  });

  it("names the trainee sheet after the sessions file", () => {
    expect(traineesCsvPath("out/report.csv")).toBe("out/report-trainees.csv");
    expect(traineesCsvPath("march")).toBe("march-trainees.csv");
  });
});

describe("JSON", () => {
  it("has schemaVersion 2, ISO times and rounded numbers", async () => {
    const json = JSON.parse(await renderJson(march, sessionRows(store, march)));
    expect(json.schemaVersion).toBe(2);
    expect(json.period).toEqual({ from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" });
    expect(json.totals.averageScore).toBe(70.27); // 773 / 11 = 70.2727...
    expect(json.totals.passRate).toBe(0.9091);
    expect(json.trainees[0].lastPracticeAt).toBe("2026-03-20T09:10:00.000Z");
    expect(json.sessions).toHaveLength(15);
    expect(Object.keys(json)).toEqual([
      "schemaVersion",
      "generatedAt",
      "timeZone",
      "period",
      "scope",
      "totals",
      "criteria",
      "trainees",
      "personas",
      "taboos",
      "manipulation",
      "outstanding",
      "assignments",
      "sessions",
    ]);
  });
});

describe("reports written a page at a time", () => {
  it("JSON reads exactly as the whole object would, however the sessions are paged", async () => {
    const rows = await readSessionRows(store, march);
    const whole = `${JSON.stringify(toReportJson(march, rows), null, 2)}\n`;
    expect(await renderJson(march, [rows])).toBe(whole);
    expect(
      await renderJson(
        march,
        rows.map((r) => [r]),
      ),
    ).toBe(whole);
    expect(await renderJson(march, [[], rows.slice(0, 4), [], rows.slice(4)])).toBe(whole);
    expect(JSON.parse(whole).sessions).toHaveLength(15);
    const empty = { ...march, totals: { ...march.totals, started: 0 } };
    expect(await renderJson(empty, [])).toBe(`${JSON.stringify(toReportJson(empty, []), null, 2)}\n`);
  });

  it("the session sheet is the same whatever the page size", async () => {
    const rows = await readSessionRows(store, march);
    const one = await renderSessionsCsv(march, [rows], "en");
    expect(
      await renderSessionsCsv(
        march,
        rows.map((r) => [r]),
        "en",
      ),
    ).toBe(one);
    expect(await renderSessionsCsv(march, sessionRows(store, march), "en")).toBe(one);
    expect(one.split("\r\n").filter((l) => l.startsWith("s"))).toHaveLength(15);
  });
});

describe("Markdown", () => {
  it("keeps tables intact when a name holds a pipe or a line break", () => {
    const md = renderMarkdown(march, "zh-CN");
    expect(md).toContain('| 王五, "小王" 二组 |');
    expect(md).toContain("## 评分项（由弱到强）");
    // Every table row has as many cells as its header.
    const trainees = md.split("## 学员")[1]?.split("##")[0] ?? "";
    const rows = trainees.split("\n").filter((l) => l.startsWith("|"));
    const cells = rows.map((r) => r.split(/(?<!\\)\|/).length);
    expect(new Set(cells).size).toBe(1);
  });
});

describe("the report command in chat", () => {
  const manager = (platform: Viewer["platform"], scopes: string[] | null): Viewer => ({
    platform,
    userId: "m1",
    role: "manager",
    scopes,
  });
  const req = (viewer: Viewer, scope: { platform: Viewer["platform"]; scopeId: string } | null = null) => ({
    viewer,
    period: "2026-03-01..2026-03-31",
    scope,
    language: "zh-CN" as const,
    timeZone: "UTC",
    now: NOW,
  });

  it("refuses a trainee", async () => {
    const r = await reportForChat(
      store,
      req({ platform: "telegram", userId: "1001", role: "trainee", scopes: [TG_GROUP_A] }),
    );
    expect(r).toEqual({ ok: false, error: "not_allowed" });
  });

  it("a Discord manager sees only their server", async () => {
    const r = await reportForChat(store, req(manager("discord", [DISCORD_GUILD])));
    if (!r.ok) throw new Error(r.error);
    expect(r.summary.totals.started).toBe(6);
    expect(r.summary.trainees.map((t) => t.displayName)).toEqual(["赵六"]);
    const html = r.files[0]?.content.toString("utf8") ?? "";
    expect(r.files[0]?.name).toBe("report-2026-03-01_2026-03-31.html");
    expect(html).toContain("赵六");
    expect(html).not.toContain("张三");
    expect(r.text).not.toContain("张三");
  });

  it("a group admin cannot read another group, nor a Telegram group from Discord", async () => {
    const admin = manager("telegram", [TG_GROUP_A]);
    expect(await reportForChat(store, req(admin, { platform: "telegram", scopeId: TG_GROUP_B }))).toEqual({
      ok: false,
      error: "not_allowed",
    });
    const discordManager = manager("discord", [TG_GROUP_A]);
    expect(await reportForChat(store, req(discordManager, { platform: "telegram", scopeId: TG_GROUP_A }))).toEqual({
      ok: false,
      error: "not_allowed",
    });
    const own = await reportForChat(store, req(admin));
    if (!own.ok) throw new Error(own.error);
    expect(own.summary.totals.started).toBe(8);
  });

  it("a manager of everything sees every place; the text is short and names who improves and who declines", async () => {
    const r = await reportForChat(store, req(manager("telegram", null)));
    if (!r.ok) throw new Error(r.error);
    expect(r.summary.totals.started).toBe(15);
    expect(r.text.length).toBeLessThanOrEqual(1800);
    expect(r.text).toContain("进步最明显：张三");
    expect(r.text).toContain("需要关注：李四");
    expect(r.text).toContain("通过率 91%");
    // Only customers someone failed count as hard.
    expect(r.text).toContain("最难的客户：ATM 取出疑似假币 75%\n");
    expect(r.text).toContain("待评估 1 次，评估失败 1 次");
  });

  it("an unreadable period is refused with its own code", async () => {
    const r = await reportForChat(store, { ...req(manager("telegram", null)), period: "last week" });
    expect(r).toEqual({ ok: false, error: "bad_period" });
  });

  it("stays within a chat message even with very long names", async () => {
    const s = await openStore("sqlite::memory:");
    try {
      for (let i = 0; i < 12; i++) {
        const t = await s.upsertTrainee(
          { platform: "telegram", userId: `u${i}`, displayName: `学员${i}${"长".repeat(300)}` },
          NOW,
        );
        for (let k = 0; k < 3; k++) {
          const id = `l${i}-${k}`;
          await addSession(s, {
            id,
            traineeId: t.id,
            platform: "telegram",
            scopeId: TG_GROUP_A,
            personaId: `p${k}`,
            personaSnapshot: JSON.stringify({ title: `角色${k}${"难".repeat(300)}` }),
            startedAt: MARCH_FROM + (k + 1) * DAY,
            status: "evaluated",
            evalStatus: "done",
          });
          await s.saveEvaluation(
            evaluationFor(id, `p${k}`, MARCH_FROM + (k + 1) * DAY, { total: 40 + k * 20, scores: [2, 3, 4] }),
          );
        }
      }
      const r = await reportForChat(s, req(manager("telegram", null)));
      if (!r.ok) throw new Error(r.error);
      expect(r.text.length).toBeLessThanOrEqual(1800);
      expect(r.text.startsWith("培训报告")).toBe(true);
    } finally {
      await s.close();
    }
  });
});
