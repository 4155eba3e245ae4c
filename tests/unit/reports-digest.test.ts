// The weekly digest: posted on its cron schedule with the HTML report, over the last N days of
// every place; a failed post does not stop the schedule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigestScheduleError, type DigestFile, startDigest } from "../../src/reports/digest.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { NOW, seedMarch } from "../fixtures/reports/seed.ts";

let store: Store;
beforeAll(async () => {
  store = await openStore("sqlite::memory:");
  await seedMarch(store);
});
afterAll(async () => {
  await store.close();
});

const digest = (cron: string, days = 31) => ({ cron, discordChannelId: "123", telegramChatId: undefined, days });

describe("weekly digest", () => {
  it("refuses a cron expression it cannot read, naming the variable", () => {
    expect(() => startDigest({ store, digest: digest("every monday"), language: "en", post: async () => {} })).toThrow(
      DigestScheduleError,
    );
    expect(() => startDigest({ store, digest: digest("every monday"), language: "en", post: async () => {} })).toThrow(
      /REPORT_DIGEST_CRON/,
    );
  });

  it("is next due at the time the expression names", () => {
    const d = startDigest({
      store,
      digest: digest("0 9 * * 1"),
      language: "en",
      timezone: "UTC",
      post: async () => {},
    });
    try {
      const next = d.nextRun();
      expect(next).not.toBeNull();
      expect(next?.getUTCDay()).toBe(1);
      expect(next?.getUTCHours()).toBe(9);
      expect(next?.getUTCMinutes()).toBe(0);
      const ahead = (next?.getTime() ?? 0) - Date.now();
      expect(ahead).toBeGreaterThan(0);
      expect(ahead).toBeLessThanOrEqual(7 * 86_400_000);
    } finally {
      d.stop();
    }
  });

  it("posts the summary of the last N days with the HTML report, and keeps going after a failed post", async () => {
    const posts: Array<{ text: string; files: DigestFile[] }> = [];
    const errors: unknown[] = [];
    let calls = 0;
    const d = startDigest({
      store,
      // Every second, so the test sees two runs.
      digest: digest("* * * * * *", 31),
      language: "en",
      timezone: "UTC",
      now: () => NOW,
      post: async (text, files) => {
        calls++;
        if (calls === 1) throw new Error("channel unreachable");
        posts.push({ text, files });
      },
      onError: (e) => errors.push(e),
    });
    try {
      const deadline = Date.now() + 5_000;
      while (posts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      d.stop();
    }
    expect(errors.map((e) => (e as Error).message)).toEqual(["channel unreachable"]);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    const [first] = posts;
    // 31 days back from 1 April 08:00 is 1 March 08:00: all 15 March sessions.
    expect(first?.text).toContain("Sessions: 15 started, 13 completed, 1 abandoned");
    expect(first?.text.length).toBeLessThanOrEqual(1800);
    expect(first?.files.map((f) => f.name)).toEqual(["report-2026-03-01_2026-04-01.html"]);
    expect(first?.files[0]?.content.toString("utf8")).toContain('<canvas id="chart-scores"');
  });

  it("runs on the configured zone's clock and dates its report in that zone", async () => {
    const posts: string[] = [];
    const d = startDigest({
      store,
      digest: digest("0 9 * * 1", 7),
      language: "en",
      timezone: "Asia/Shanghai",
      now: () => NOW,
      post: async (text) => {
        posts.push(text);
      },
    });
    try {
      // Monday 09:00 in Beijing is Monday 01:00 UTC.
      const next = d.nextRun();
      expect(next?.getUTCDay()).toBe(1);
      expect(next?.getUTCHours()).toBe(1);
      const summary = await d.runOnce();
      expect(summary.timeZone).toBe("Asia/Shanghai");
      // 1 April 08:00 UTC is 16:00 in Beijing; seven days back is 25 March 16:00.
      expect(posts[0]).toContain("2026-03-25 – 2026-04-01 (UTC+8)");
    } finally {
      d.stop();
    }
  });
});
