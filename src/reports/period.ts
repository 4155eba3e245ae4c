// The period a report covers, as people type it: "30d" or "2026-01-01..2026-01-31".
import { localDayBounds } from "../i18n/dates.ts";

const DAY_MS = 86_400_000;

export interface Period {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/**
 * Reads "7d", "30d", "90d" (any 1-3650 days back from now) or "2026-01-01..2026-01-31" (both
 * dates inclusive, whole days in the time zone: from local midnight of the first day to local
 * midnight after the last). Returns null when the text is neither or the range is empty.
 */
export function parsePeriod(text: string, now: number, timeZone: string): Period | null {
  const t = text.trim();
  const days = /^(\d{1,4})\s*d$/i.exec(t);
  if (days) {
    const n = Number(days[1]);
    if (n < 1 || n > 3650) return null;
    return { from: now - n * DAY_MS, to: now };
  }
  const range = /^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|—|~|to)\s*(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (range) {
    const first = localDayBounds(range[1] ?? "", timeZone);
    const last = localDayBounds(range[2] ?? "", timeZone);
    if (first === null || last === null || last.from < first.from) return null;
    return { from: first.from, to: last.to };
  }
  return null;
}

/** A calendar date (YYYY-MM-DD) as the start of that day in the zone, or null when it is not a real date. */
export function parseDay(text: string, timeZone: string): number | null {
  return localDayBounds(text, timeZone)?.from ?? null;
}
