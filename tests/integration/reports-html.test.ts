// The HTML report in a real browser (the system's Chromium, or the one from the @sparticuz/chromium
// npm package when there is none; playwright-core drives it): it draws its three charts offline,
// asks the network for nothing, and shows hostile names as text.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSummary, renderHtml, type TeamSummary } from "../../src/reports/index.ts";
import { openStore } from "../../src/store/index.ts";
import { BROWSER_SETUP_MS, findBrowser, launchBrowser } from "../support/browser.ts";
import { addSession, evaluationFor, MARCH_FROM, MARCH_TO, NOW, seedMarch } from "../fixtures/reports/seed.ts";

const dir = mkdtempSync(join(tmpdir(), "reports-html-"));
let browser: Browser | null = null;
let march: TeamSummary;
let empty: TeamSummary;

beforeAll(async () => {
  browser = (await launchBrowser()).browser;
  const store = await openStore("sqlite::memory:");
  try {
    await seedMarch(store);
    march = await buildSummary(store, { from: MARCH_FROM, to: MARCH_TO, now: NOW, timeZone: "UTC" });
    empty = await buildSummary(store, {
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 1, 1),
      now: NOW,
      timeZone: "UTC",
    });
  } finally {
    await store.close();
  }
}, BROWSER_SETUP_MS);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the HTML as a file, recording every request the page makes and every script error. */
async function open(html: string, name: string, viewport = { width: 1200, height: 900 }, using = browser) {
  if (!using) throw new Error("no browser");
  const file = join(dir, name);
  writeFileSync(file, html, "utf8");
  const url = pathToFileURL(file).href;
  const context = await using.newContext({ viewport });
  const page: Page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, errors, dialogs, close: () => context.close() };
}

interface CanvasInfo {
  id: string;
  width: number;
  height: number;
  hasChart: boolean;
  points: number;
  labels: string[];
}

async function canvases(page: Page): Promise<CanvasInfo[]> {
  // A string expression: the test's TypeScript has no DOM types.
  return page.evaluate(`Array.from(document.querySelectorAll("canvas")).map(function (c) {
    var r = c.getBoundingClientRect();
    var chart = window.Chart ? window.Chart.getChart(c) : undefined;
    return {
      id: c.id, width: r.width, height: r.height, hasChart: !!chart,
      points: chart ? chart.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0) : 0,
      labels: chart ? (chart.data.labels && chart.data.labels.length ? chart.data.labels : chart.data.datasets.map(function (d) { return d.label; })) : []
    };
  })`);
}

describe("the HTML report in a browser", () => {
  it("draws the three charts, with the team's data, and asks the network for nothing", async () => {
    const html = renderHtml(march, "zh-CN");
    const view = await open(html, "march.html");
    try {
      const list = await canvases(view.page);
      expect(list.map((c) => c.id)).toEqual(["chart-scores", "chart-criteria", "chart-personas"]);
      for (const c of list) {
        expect(c.hasChart, c.id).toBe(true);
        expect(c.width, c.id).toBeGreaterThan(0);
        expect(c.height, c.id).toBeGreaterThan(0);
      }
      const [scores, criteria, personas] = list;
      // 11 evaluated sessions, one point each; trainees as the series.
      expect(scores?.points).toBe(11);
      expect(scores?.labels).toEqual(["张三", "李四", "赵六", '王五, "小王"\n二组']);
      expect(criteria?.labels).toEqual(["共情与安抚", "解决问题", "合规"]);
      expect(personas?.labels).toEqual(["ATM 取出疑似假币", "账户被冻结", 'Card fee, "urgent"']);
      // Something was painted: the canvas is not blank.
      const painted = await view.page.evaluate(`(function () {
        var c = document.getElementById("chart-criteria");
        var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        for (var i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
        return false;
      })()`);
      expect(painted).toBe(true);
      expect(view.errors).toEqual([]);
      expect(view.requests).toEqual([view.url]);
      // Tables under the charts, in the chosen language.
      const headings = await view.page.evaluate(
        `Array.from(document.querySelectorAll("h2")).map(function (h) { return h.textContent; })`,
      );
      expect(headings).toContain("各学员得分变化");
      const lang = await view.page.evaluate(`document.documentElement.lang`);
      expect(lang).toBe("zh-CN");
    } finally {
      await view.close();
    }
  });

  it("fits a phone's width: nothing but the tables scrolls sideways", async () => {
    const view = await open(renderHtml(march, "en"), "phone.html", { width: 375, height: 740 });
    try {
      const overflow = await view.page.evaluate(`document.documentElement.scrollWidth`);
      expect(overflow).toBeLessThanOrEqual(375);
      const list = await canvases(view.page);
      for (const c of list) expect(c.width, c.id).toBeLessThanOrEqual(375);
      for (const c of list) expect(c.width, c.id).toBeGreaterThan(200);
      expect(view.errors).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it("shows hostile names and titles as text: no script runs, no request is made", async () => {
    const store = await openStore("sqlite::memory:");
    let summary: TeamSummary;
    try {
      const evil = '<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">';
      const t = await store.upsertTrainee({ platform: "telegram", userId: "666", displayName: evil }, NOW);
      const title = '</script><script>alert("title")</script><link rel="stylesheet" href="http://127.0.0.1:9/s.css">';
      for (let k = 0; k < 3; k++) {
        const id = `x${k}`;
        await addSession(store, {
          id,
          traineeId: t.id,
          platform: "telegram",
          scopeId: "-1",
          personaId: "evil",
          personaSnapshot: JSON.stringify({ title, difficulty: "hard" }),
          startedAt: MARCH_FROM + (k + 1) * 86_400_000,
          status: "evaluated",
          evalStatus: "done",
        });
        await store.saveEvaluation(
          evaluationFor(id, "evil", MARCH_FROM + (k + 1) * 86_400_000, {
            total: 50 + k * 10,
            scores: [2, 3, 4],
            taboo: [{ turn: 1, phrase: "<b>x</b>", group: "g", label: "<i>label</i>" }],
          }),
        );
      }
      summary = await buildSummary(store, { from: MARCH_FROM, to: MARCH_TO, now: NOW, timeZone: "UTC" });
    } finally {
      await store.close();
    }
    const view = await open(renderHtml(summary, "en"), "evil.html");
    try {
      expect(view.dialogs).toEqual([]);
      expect(view.errors).toEqual([]);
      expect(view.requests).toEqual([view.url]);
      const imgs = await view.page.evaluate(`document.querySelectorAll("img, link[rel=stylesheet], b, i").length`);
      expect(imgs).toBe(0);
      const text = await view.page.evaluate(`document.body.innerText`);
      expect(text).toContain('<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">');
      expect(text).toContain('</script><script>alert("title")</script>');
      const list = await canvases(view.page);
      expect(list.every((c) => c.hasChart)).toBe(true);
    } finally {
      await view.close();
    }
  });

  it("an empty period shows a message instead of charts, still without a request", async () => {
    const view = await open(renderHtml(empty, "en"), "empty.html");
    try {
      expect(await canvases(view.page)).toEqual([]);
      const text = await view.page.evaluate(`document.body.innerText`);
      expect(text).toContain("No sessions in this period.");
      expect(view.errors).toEqual([]);
      expect(view.requests).toEqual([view.url]);
    } finally {
      await view.close();
    }
  });

  it(
    "without a system Chromium, the browser from the npm package renders the report",
    async () => {
      // Hides /usr/bin/chromium (and the other system paths) from the lookup, as on a fresh machine.
      const choice = await findBrowser({ systemPaths: [] });
      expect(choice.source).toBe("npm package");
      expect(choice.executablePath).toContain(tmpdir());
      const packaged = await chromium.launch({
        executablePath: choice.executablePath,
        args: choice.args,
        headless: true,
      });
      try {
        const view = await open(renderHtml(march, "zh-CN"), "packaged.html", { width: 1200, height: 900 }, packaged);
        try {
          const list = await canvases(view.page);
          expect(list.map((c) => [c.id, c.hasChart])).toEqual([
            ["chart-scores", true],
            ["chart-criteria", true],
            ["chart-personas", true],
          ]);
          expect(view.errors).toEqual([]);
          expect(view.requests).toEqual([view.url]);
        } finally {
          await view.close();
        }
      } finally {
        await packaged.close();
      }
    },
    BROWSER_SETUP_MS,
  );
});
