// Reports in the trainers' time zone: a period's days start at local midnight, and every date in
// every format is the local one. Expected values are worked out by hand (Beijing = UTC+8).
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildSummary,
  parsePeriod,
  readSessionRows,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderSessionsCsv,
  renderTraineesCsv,
  sessionRows,
  reportFileName,
  reportForChat,
} from "../../src/reports/index.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { addSession, evaluationFor, TG_GROUP_A } from "../fixtures/reports/seed.ts";

const SH = "Asia/Shanghai";
const NOW = Date.UTC(2026, 4, 1);
// 1 March 01:00 in Beijing, 15 March 10:00 in Beijing, 1 April 04:00 in Beijing.
const EARLY_MARCH = Date.UTC(2026, 1, 28, 17, 0);
const MID_MARCH = Date.UTC(2026, 2, 15, 2, 0);
const APRIL_IN_BEIJING = Date.UTC(2026, 2, 31, 20, 0);

let store: Store;
beforeAll(async () => {
  store = await openStore("sqlite::memory:");
  const t = await store.upsertTrainee({ platform: "telegram", userId: "501", displayName: "陈一" }, NOW);
  for (const [id, startedAt] of [
    ["tz-early", EARLY_MARCH],
    ["tz-mid", MID_MARCH],
    ["tz-late", APRIL_IN_BEIJING],
  ] as const) {
    await addSession(store, {
      id,
      traineeId: t.id,
      platform: "telegram",
      scopeId: TG_GROUP_A,
      personaId: "atm",
      personaSnapshot: JSON.stringify({ title: "ATM 吞卡" }),
      startedAt,
      status: "evaluated",
      evalStatus: "done",
    });
    await store.saveEvaluation(evaluationFor(id, "atm", startedAt + 11 * 60_000, { total: 80, scores: [4, 4, 4] }));
  }
});
afterAll(async () => {
  await store.close();
});

describe("report periods in a time zone", () => {
  it("a March range in Beijing runs from Beijing midnight on 1 March to Beijing midnight on 1 April", () => {
    expect(parsePeriod("2026-03-01..2026-03-31", NOW, SH)).toEqual({
      from: Date.UTC(2026, 1, 28, 16),
      to: Date.UTC(2026, 2, 31, 16),
    });
    // "7d" is the last seven days ending now, whatever the zone.
    expect(parsePeriod("7d", NOW, SH)).toEqual({ from: NOW - 7 * 86_400_000, to: NOW });
  });

  it("a March range in London ends at 23:00 UTC on 31 March, after the clocks went forward", () => {
    expect(parsePeriod("2026-03-01..2026-03-31", NOW, "Europe/London")).toEqual({
      from: Date.UTC(2026, 2, 1, 0),
      to: Date.UTC(2026, 2, 31, 23),
    });
  });

  it("a session at 20:00 UTC on 31 March belongs to April in Beijing and to March in UTC", async () => {
    const marchSh = await buildSummary(store, {
      ...parsePeriod("2026-03-01..2026-03-31", NOW, SH)!,
      now: NOW,
      timeZone: SH,
    });
    expect((await readSessionRows(store, marchSh)).map((s) => s.sessionId)).toEqual(["tz-early", "tz-mid"]);
    const aprilSh = await buildSummary(store, {
      ...parsePeriod("2026-04-01..2026-04-30", NOW, SH)!,
      now: NOW,
      timeZone: SH,
    });
    expect((await readSessionRows(store, aprilSh)).map((s) => s.sessionId)).toEqual(["tz-late"]);
    const marchUtc = await buildSummary(store, {
      ...parsePeriod("2026-03-01..2026-03-31", NOW, "UTC")!,
      now: NOW,
      timeZone: "UTC",
    });
    expect((await readSessionRows(store, marchUtc)).map((s) => s.sessionId)).toEqual(["tz-mid", "tz-late"]);
  });
});

describe("report dates in a time zone", () => {
  const april = () =>
    buildSummary(store, { ...parsePeriod("2026-04-01..2026-04-30", NOW, SH)!, now: NOW, timeZone: SH });

  it("Markdown names the period and the zone, and dates sessions and last practice in Beijing", async () => {
    const md = renderMarkdown(await april(), "en");
    expect(md).toContain("2026-04-01 – 2026-04-30 (UTC+8)");
    // Last practice is the session's last activity, 20:10 UTC on 31 March = 1 April in Beijing.
    expect(md).toMatch(/\| 陈一 \|.*\| 2026-04-01 \|/);
    expect(md).not.toContain("2026-03-31");
  });

  it("CSV times are Beijing wall-clock times under a header naming the offset", async () => {
    const summary = await april();
    const sessions = Papa.parse<string[]>(
      (await renderSessionsCsv(summary, sessionRows(store, summary), "en")).slice(1),
      { skipEmptyLines: true },
    ).data;
    expect(sessions[0]?.slice(0, 3)).toEqual(["Session", "Started (UTC+8)", "Ended (UTC+8)"]);
    expect(sessions[1]?.slice(0, 3)).toEqual(["tz-late", "2026-04-01 04:00", "2026-04-01 04:10"]);
    const trainees = Papa.parse<string[]>(renderTraineesCsv(summary, "zh-CN").slice(1), { skipEmptyLines: true }).data;
    const col = trainees[0]?.indexOf("最近练习（UTC+8）") ?? -1;
    expect(col).toBeGreaterThan(0);
    expect(trainees[1]?.[col]).toBe("2026-04-01 04:10");
  });

  it("JSON states the zone and writes times with its offset", async () => {
    const summary = await april();
    const json = JSON.parse(await renderJson(summary, sessionRows(store, summary)));
    expect(json.schemaVersion).toBe(2);
    expect(json.timeZone).toBe(SH);
    expect(json.period).toEqual({ from: "2026-04-01T00:00:00.000+08:00", to: "2026-05-01T00:00:00.000+08:00" });
    expect(json.generatedAt).toBe("2026-05-01T08:00:00.000+08:00");
    expect(json.sessions[0].startedAt).toBe("2026-04-01T04:00:00.000+08:00");
    expect(Date.parse(json.sessions[0].startedAt)).toBe(APRIL_IN_BEIJING);
  });

  it("the HTML file is named and charted by Beijing days", async () => {
    const summary = await april();
    expect(reportFileName(summary, "html")).toBe("report-2026-04-01_2026-04-30.html");
    const html = renderHtml(summary, "en");
    expect(html).toContain("2026-04-01 – 2026-04-30 (UTC+8)");
    // The chart's x is the Beijing wall clock (read as UTC by the page): 1 April 04:00.
    expect(html).toContain(`"x":${Date.UTC(2026, 3, 1, 4, 0)}`);
  });

  it("a period across a clock change names the zone rather than one offset", async () => {
    const london = await buildSummary(store, {
      ...parsePeriod("2026-03-01..2026-03-31", NOW, "Europe/London")!,
      now: NOW,
      timeZone: "Europe/London",
    });
    expect(renderMarkdown(london, "en")).toContain("2026-03-01 – 2026-03-31 (Europe/London)");
  });

  it("the chat answer reads the period in the zone it is given", async () => {
    const r = await reportForChat(store, {
      viewer: { platform: "telegram", userId: "1", role: "manager", scopes: null },
      period: "2026-04-01..2026-04-30",
      language: "zh-CN",
      timeZone: SH,
      now: NOW,
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.summary.totals.started).toBe(1);
    expect(r.text.split("\n")[0]).toContain("2026-04-01 – 2026-04-30 (UTC+8)");
    expect(r.files[0]?.name).toBe("report-2026-04-01_2026-04-30.html");
  });
});
