// Dates and times as people read them, in one IANA time zone (TIME_ZONE). Only Intl: the zone
// rules come with Node's ICU, so daylight saving time is right without a date library.
import type { Language } from "../domain/persona.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows this IANA zone name (e.g. "Asia/Shanghai"). */
export function isTimeZone(name: string): boolean {
  if (name.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone this process runs in, as Intl sees it. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function intlParts(ms: number, timeZone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type in out) out[p.type as keyof LocalParts] = Number(p.value);
  }
  return out;
}

const HOUR_MS = 3_600_000;
/** Per zone: hour (epoch ms / HOUR_MS) → the wall clock's lead over UTC in ms, or null in an hour the zone changes offset. */
const hourOffsets = new Map<string, Map<number, number | null>>();

/**
 * The wall clock's lead over UTC (whole seconds, in ms) throughout the hour holding `ms`, or null
 * when the zone changes offset within it. Asked of Intl once per zone and hour: a report formats
 * thousands of times in the same few hundred hours, and Intl's formatToParts is slow.
 */
function hourOffset(ms: number, timeZone: string): number | null {
  let zone = hourOffsets.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    hourOffsets.set(timeZone, zone);
  }
  const hour = Math.floor(ms / HOUR_MS);
  let offset = zone.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const lead = (at: number) => {
      const p = intlParts(at, timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
    };
    const first = lead(start);
    // Offsets change at most once in an hour: the same lead at both ends holds for all of it.
    offset = first === lead(start + HOUR_MS - 1000) ? first : null;
    if (zone.size >= 100_000) zone.clear();
    zone.set(hour, offset);
  }
  return offset;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const offset = hourOffset(ms, timeZone);
  if (offset === null) return intlParts(ms, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset);
  const year = wall.getUTCFullYear();
  // Intl names years before 1 AD differently: leave those to it.
  if (year < 1) return intlParts(ms, timeZone);
  return {
    year,
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in minutes (Shanghai: 480). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // The wall clock has whole seconds; the instant's milliseconds must not count as offset.
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / MINUTE_MS);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function signed(offset: number, separator: string, always: boolean): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  if (!always) return m === 0 ? `${sign}${h}` : `${sign}${h}:${pad(m)}`;
  return `${sign}${pad(h)}${separator}${pad(m)}`;
}

/** "UTC+8", "UTC+1", "UTC+5:30", "UTC-3", or "UTC" at offset zero. */
export function offsetLabel(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  return offset === 0 ? "UTC" : `UTC${signed(offset, ":", false)}`;
}

/** YYYY-MM-DD: the calendar day in the zone. */
export function formatDay(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** YYYY-MM-DD HH:MM on the zone's wall clock, without the zone (for a column that names it once). */
export function formatMinute(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2026-03-05 14:20 (UTC+8)": a moment nobody can misread across zones. */
export function formatDateTime(ms: number, timeZone: string, language: Language): string {
  const label = offsetLabel(ms, timeZone);
  return language === "en" ? `${formatMinute(ms, timeZone)} (${label})` : `${formatMinute(ms, timeZone)}（${label}）`;
}

/**
 * ISO 8601 with the zone's offset: "2026-03-05T14:20:00.000+08:00" (still the same instant);
 * "Z" at offset zero, as Date#toISOString writes it.
 */
export function isoWithOffset(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  const p = localParts(ms, timeZone);
  const millis = ((ms % 1000) + 1000) % 1000;
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(millis, 3)}`;
  return `${date}T${time}${offset === 0 ? "Z" : signed(offset, ":", true)}`;
}

/** A real calendar date from "YYYY-MM-DD", or null. */
export function parseCalendarDay(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const back = new Date(Date.UTC(year, month - 1, day));
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return { year, month, day };
}

/**
 * The first instant of a calendar day in the zone: local midnight, or the first moment after it
 * where a daylight-saving jump skips midnight itself.
 */
function startOfDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const want = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  // The offset a day either side brackets any transition near midnight.
  const candidates = [
    wall - offsetMinutes(wall - DAY_MS, timeZone) * MINUTE_MS,
    wall - offsetMinutes(wall + DAY_MS, timeZone) * MINUTE_MS,
  ]
    .filter((t) => formatDay(t, timeZone) === want)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - offsetMinutes(wall, timeZone) * MINUTE_MS;
}

/**
 * The calendar day "YYYY-MM-DD" in the zone as [from, to) in epoch ms: from its local midnight to
 * the next one. Days are 23 or 25 hours long when the clocks change. null when it is not a date.
 */
export function localDayBounds(date: string, timeZone: string): { from: number; to: number } | null {
  const d = parseCalendarDay(date);
  if (d === null) return null;
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return {
    from: startOfDay(d.year, d.month, d.day, timeZone),
    to: startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
  };
}
