// How the HTML report reads, in a real headless browser, at a phone's and a desk's width: time
// labels that suit one day and ninety, long Chinese titles that fit, no sideways page scroll.
// Screenshots are saved to test-artifacts/reports/ (gitignored) for a person to look at.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSummary, renderHtml, type TeamSummary } from "../../src/reports/index.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { BROWSER_SETUP_MS, launchBrowser } from "../support/browser.ts";
import { addSession, evaluationFor } from "../fixtures/reports/seed.ts";

const artifacts = resolve(import.meta.dirname, "../../test-artifacts/reports");
const dir = mkdtempSync(join(tmpdir(), "reports-layout-"));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const TITLES = [
  "老年客户在柜台办理养老金代发业务时对手续费扣款产生强烈不满并要求当场全额退款",
  "ATM 取出疑似假币",
  "Card fee charged twice although the customer was promised the card is free for life",
  "跨行转账显示成功但对方迟迟没有到账，客户怀疑银行挪用资金",
];
const NAMES = ["张三", "欧阳娜娜（营业部二组）", "Alexandra Montgomery-Smith", "李四"];

let browser: Browser | null = null;
let oneDay: TeamSummary;
let ninetyDays: TeamSummary;

/** Sessions at the given instants, spread over the trainees and titles, each evaluated. */
async function seed(store: Store, starts: number[]): Promise<void> {
  const trainees = [];
  for (const [i, name] of NAMES.entries()) {
    trainees.push(
      await store.upsertTrainee({ platform: "telegram", userId: String(5000 + i), displayName: name }, starts[0] ?? 0),
    );
  }
  for (const [k, startedAt] of starts.entries()) {
    const id = `L${starts.length}-${k}`;
    const title = TITLES[k % TITLES.length] as string;
    await addSession(store, {
      id,
      traineeId: (trainees[k % trainees.length] as { id: string }).id,
      platform: "telegram",
      scopeId: "-1",
      personaId: `p${k % TITLES.length}`,
      personaSnapshot: JSON.stringify({ title, difficulty: "medium" }),
      startedAt,
      status: "evaluated",
      evalStatus: "done",
    });
    await store.saveEvaluation(
      evaluationFor(id, `p${k % TITLES.length}`, startedAt + 600_000, {
        total: 40 + ((k * 17) % 55),
        scores: [2 + (k % 3), 3, 2 + (k % 4)],
      }),
    );
  }
}

beforeAll(async () => {
  browser = (await launchBrowser()).browser;
  const day = Date.UTC(2026, 10, 29);
  const store = await openStore("sqlite::memory:");
  try {
    // One day in Shanghai: 09:05 to 17:40 local time.
    const local = (h: number, m: number) => day + (h - 8) * HOUR + m * 60_000;
    await seed(store, [local(9, 5), local(10, 30), local(11, 15), local(13, 50), local(15, 20), local(17, 40)]);
    oneDay = await buildSummary(store, {
      from: day - 8 * HOUR,
      to: day + 16 * HOUR,
      now: day + DAY,
      timeZone: "Asia/Shanghai",
    });
  } finally {
    await store.close();
  }
  const store90 = await openStore("sqlite::memory:");
  try {
    const from = Date.UTC(2026, 8, 1);
    await seed(
      store90,
      Array.from({ length: 45 }, (_, i) => from + i * 2 * DAY + (9 + (i % 8)) * HOUR),
    );
    ninetyDays = await buildSummary(store90, { from, to: from + 90 * DAY, now: from + 91 * DAY, timeZone: "UTC" });
  } finally {
    await store90.close();
  }
  mkdirSync(artifacts, { recursive: true });
  if (!hasCjkFont()) {
    console.warn(
      "No CJK font on this machine (e.g. Debian fonts-wqy-microhei): Chinese shows as boxes in the screenshots.",
    );
  }
}, BROWSER_SETUP_MS);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function hasCjkFont(): boolean {
  try {
    return execFileSync("fc-list", [":lang=zh"], { encoding: "utf8" }).trim() !== "";
  } catch {
    return false;
  }
}

async function open(
  summary: TeamSummary,
  name: string,
  width: number,
): Promise<{ page: Page; close: () => Promise<void> }> {
  if (!browser) throw new Error("no browser");
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtml(summary, "zh-CN"), "utf8");
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return {
    page,
    close: async () => {
      await context.close();
      expect(errors).toEqual([]);
    },
  };
}

interface AxisInfo {
  xTicks: string[];
  personaTicks: Array<string | string[]>;
  personaTooltipTitles: Array<string | string[]>;
  personaArea: number;
  personaWidth: number;
  pageWidth: number;
}

async function axes(page: Page): Promise<AxisInfo> {
  return page.evaluate(`(function () {
    var scores = Chart.getChart(document.getElementById("chart-scores"));
    var personas = Chart.getChart(document.getElementById("chart-personas"));
    var title = personas.options.plugins.tooltip.callbacks.title;
    return {
      xTicks: scores.scales.x.ticks.map(function (t) { return t.label; }),
      personaTicks: personas.scales.y.ticks.map(function (t) { return t.label; }),
      personaTooltipTitles: personas.data.labels.map(function (_, i) {
        return title.call(personas.tooltip, [{ dataIndex: i, label: personas.data.labels[i] }]);
      }),
      personaArea: personas.chartArea.width,
      personaWidth: personas.width,
      pageWidth: document.documentElement.scrollWidth
    };
  })()`);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

describe("the HTML report reads well at any width and for any span", () => {
  it("one day: the time axis shows times of day, each once", async () => {
    for (const width of [390, 1200]) {
      const view = await open(oneDay, `one-day-${width}`, width);
      try {
        const info = await axes(view.page);
        expect(info.xTicks.length, `${width}`).toBeGreaterThanOrEqual(3);
        for (const label of info.xTicks) expect(label, `${width}`).toMatch(/^\d{2}:\d{2}$/);
        expect(new Set(info.xTicks).size).toBe(info.xTicks.length);
        // Shanghai wall-clock times: the first session was at 09:05, so no tick says 01:00 (UTC).
        expect(info.xTicks.some((l) => l >= "08:00" && l <= "10:00")).toBe(true);
        await shoot(view.page, `one-day-${width}`);
      } finally {
        await view.close();
      }
    }
  });

  it("ninety days: the time axis shows dates, never the same one twice", async () => {
    for (const width of [390, 1200]) {
      const view = await open(ninetyDays, `ninety-days-${width}`, width);
      try {
        const info = await axes(view.page);
        expect(info.xTicks.length, `${width}`).toBeGreaterThanOrEqual(3);
        for (const label of info.xTicks) expect(label, `${width}`).toMatch(/^\d{1,2}月\d{1,2}日$/);
        expect(new Set(info.xTicks).size).toBe(info.xTicks.length);
        await shoot(view.page, `ninety-days-${width}`);
      } finally {
        await view.close();
      }
    }
  });

  it("long persona titles are wrapped or shortened on the axis, whole in the tooltip, and leave room for the bars", async () => {
    for (const width of [390, 1200]) {
      const view = await open(ninetyDays, `titles-${width}`, width);
      try {
        const info = await axes(view.page);
        // The tooltip has the whole title (wrapped to the chart's width).
        const bare = (t: string | string[]) => (Array.isArray(t) ? t.join("") : t).replace(/\s+/g, "");
        expect(info.personaTooltipTitles.map(bare).sort()).toEqual(TITLES.map(bare).sort());
        const longest = TITLES[0] as string;
        const shown = info.personaTicks.map((l) => (Array.isArray(l) ? l.join("") : l));
        for (const l of info.personaTicks) expect(Array.isArray(l) ? l.length : 1).toBeLessThanOrEqual(2);
        if (width === 390) {
          // On a phone the longest title cannot fit in two lines: it is shortened with "…".
          expect(shown.some((l) => l.endsWith("…") && longest.startsWith(l.slice(0, -1)))).toBe(true);
        } else {
          // On a desk it fits whole in two lines.
          expect(shown).toContain(longest);
        }
        // The bars keep at least half of the chart's width.
        expect(info.personaArea / info.personaWidth, `${width}`).toBeGreaterThanOrEqual(0.5);
        const table = await view.page.evaluate(`document.body.innerText`);
        expect(table).toContain(longest);
      } finally {
        await view.close();
      }
    }
  });

  it("no sideways page scroll on a 360 px phone", async () => {
    for (const summary of [oneDay, ninetyDays]) {
      const view = await open(summary, "narrow", 360);
      try {
        expect(await view.page.evaluate(`document.documentElement.scrollWidth`)).toBeLessThanOrEqual(360);
      } finally {
        await view.close();
      }
    }
  });
});
