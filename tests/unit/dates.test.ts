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
