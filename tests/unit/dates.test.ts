// Dates people read, in the configured zone. Every expected value is worked out by hand:
// Shanghai is UTC+8 all year; London is UTC+0 in winter and UTC+1 from 01:00 UTC on the last
// Sunday of March (29 March 2026) to 01:00 UTC on the last Sunday of October (25 October 2026).
import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatDay,
  isoWithOffset,
  isTimeZone,
  localDayBounds,
  offsetLabel,
} from "../../src/i18n/dates.ts";

const HOUR = 3_600_000;

describe("a day in a time zone", () => {
  it("a Beijing day runs from 16:00 UTC the day before to 16:00 UTC", () => {
    expect(localDayBounds("2026-03-01", "Asia/Shanghai")).toEqual({
      from: Date.UTC(2026, 1, 28, 16),
      to: Date.UTC(2026, 2, 1, 16),
    });
    // Leap day and year end roll over correctly.
    expect(localDayBounds("2028-02-29", "Asia/Shanghai")).toEqual({
      from: Date.UTC(2028, 1, 28, 16),
      to: Date.UTC(2028, 1, 29, 16),
    });
    expect(localDayBounds("2026-12-31", "Asia/Shanghai")?.to).toBe(Date.UTC(2026, 11, 31, 16));
  });

  it("a London day is 23 hours when the clocks go forward and 25 when they go back", () => {
    const spring = localDayBounds("2026-03-29", "Europe/London");
    expect(spring).toEqual({ from: Date.UTC(2026, 2, 29, 0), to: Date.UTC(2026, 2, 29, 23) });
    expect((spring?.to ?? 0) - (spring?.from ?? 0)).toBe(23 * HOUR);
    const autumn = localDayBounds("2026-10-25", "Europe/London");
    expect(autumn).toEqual({ from: Date.UTC(2026, 9, 24, 23), to: Date.UTC(2026, 9, 26, 0) });
    expect((autumn?.to ?? 0) - (autumn?.from ?? 0)).toBe(25 * HOUR);
    // A summer day starts at 23:00 UTC the day before.
    expect(localDayBounds("2026-07-01", "Europe/London")?.from).toBe(Date.UTC(2026, 5, 30, 23));
  });

  it("is null for a date that does not exist", () => {
    expect(localDayBounds("2026-02-30", "Asia/Shanghai")).toBeNull();
    expect(localDayBounds("2026-3-1", "Asia/Shanghai")).toBeNull();
  });
});

describe("a moment as people read it", () => {
  it("shows Beijing time with its offset", () => {
    const at = Date.UTC(2026, 2, 5, 6, 20);
    expect(formatDateTime(at, "Asia/Shanghai", "en")).toBe("2026-03-05 14:20 (UTC+8)");
    expect(formatDateTime(at, "Asia/Shanghai", "zh-CN")).toBe("2026-03-05 14:20（UTC+8）");
    expect(formatDateTime(at, "UTC", "en")).toBe("2026-03-05 06:20 (UTC)");
  });

  it("follows London's summer time", () => {
    expect(formatDateTime(Date.UTC(2026, 0, 15, 12, 0), "Europe/London", "en")).toBe("2026-01-15 12:00 (UTC)");
    expect(formatDateTime(Date.UTC(2026, 6, 1, 12, 0), "Europe/London", "en")).toBe("2026-07-01 13:00 (UTC+1)");
    // The last minute of GMT and the first of BST on 29 March.
    expect(formatDateTime(Date.UTC(2026, 2, 29, 0, 59), "Europe/London", "en")).toBe("2026-03-29 00:59 (UTC)");
    expect(formatDateTime(Date.UTC(2026, 2, 29, 1, 0), "Europe/London", "en")).toBe("2026-03-29 02:00 (UTC+1)");
  });

  it("names half-hour and negative offsets", () => {
    expect(offsetLabel(Date.UTC(2026, 0, 1), "Asia/Kolkata")).toBe("UTC+5:30");
    expect(offsetLabel(Date.UTC(2026, 0, 1), "America/New_York")).toBe("UTC-5");
  });

  it("an evening in UTC is already the next day in Beijing", () => {
    const at = Date.UTC(2026, 2, 31, 20, 0);
    expect(formatDay(at, "UTC")).toBe("2026-03-31");
    expect(formatDay(at, "Asia/Shanghai")).toBe("2026-04-01");
    expect(isoWithOffset(at, "Asia/Shanghai")).toBe("2026-04-01T04:00:00.000+08:00");
    expect(isoWithOffset(at + 123, "Europe/London")).toBe("2026-03-31T21:00:00.123+01:00");
    expect(isoWithOffset(at, "UTC")).toBe("2026-03-31T20:00:00.000Z");
    expect(isoWithOffset(Date.UTC(2026, 0, 1), "America/New_York")).toBe("2025-12-31T19:00:00.000-05:00");
  });

  it("knows which zone names are real", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("Europe/London")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("times read from a cache of each hour's offset agree with Intl", () => {
  // The reference: Intl asked directly, every time.
  const formats = new Map<string, Intl.DateTimeFormat>();
  function intlIso(ms: number, timeZone: string): string {
    let format = formats.get(timeZone);
    if (format === undefined) {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
      formats.set(timeZone, format);
    }
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
    const sign = offset < 0 ? "-" : "+";
    const abs = Math.abs(offset);
    const zone =
      offset === 0
        ? "Z"
        : `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, "0");
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${millis}${zone}`;
  }

  // Zones with daylight saving (London, New York, Sydney), a half-hour change (Lord Howe), odd
  // offsets (Kathmandu +5:45, Chatham +12:45/+13:45, St John's -3:30), and none (Shanghai, UTC).
  const zones = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Shanghai",
    "UTC",
  ];

  it("every few minutes (odd seconds and milliseconds) around each of a year's clock changes", () => {
    const DAY = 86_400_000;
    for (const zone of zones) {
      // The days in 2026 at whose end the zone's offset differs from their start.
      const changes: number[] = [];
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += DAY) {
        if (intlIso(t, zone).slice(-6) !== intlIso(t + DAY, zone).slice(-6)) changes.push(t);
      }
      const probes = [Date.UTC(2026, 5, 15, 12, 34, 56, 789), ...changes];
      for (const around of probes) {
        for (let t = around - 6 * 3_600_000; t <= around + DAY + 6 * 3_600_000; t += 7 * 60_000 + 1_007) {
          expect(isoWithOffset(t, zone), `${zone} ${t}`).toBe(intlIso(t, zone));
        }
      }
    }
  });

  it("far from now: before 1970, in the zone's early history, and far ahead", () => {
    for (const zone of zones) {
      for (const t of [
        Date.UTC(1900, 0, 1, 0, 0, 1, 5),
        Date.UTC(1969, 11, 31, 23, 59, 59, 999),
        -1,
        Date.UTC(1941, 5, 1, 3, 7, 0),
        Date.UTC(2100, 6, 1, 12),
      ]) {
        expect(isoWithOffset(t, zone), `${zone} ${t}`).toBe(intlIso(t, zone));
        expect(formatDay(t, zone)).toBe(intlIso(t, zone).slice(0, 10));
      }
    }
  });
});
