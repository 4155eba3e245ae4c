// Numbers written as digit groups: "6222 0212 3456 7890", "131.9237.7391", "1 3 8 ...",
// "(0755)7185924", "+86-28-3810576". Groups joined by any short run of separators form a chain;
// every window of consecutive groups is tried against the structures (Luhn, ID checksum, number
// plans) and every window that holds one is masked, so a number is found however it was split and
// a list of amounts or dates, which fails them, is left alone.
import {
  hongKongNumber,
  luhnValid,
  macauNumber,
  mainlandLandline,
  mainlandMobile,
  oldResidentIdValid,
  residentIdValid,
  taiwanNumber,
  validDate,
} from "./checks.ts";
import { type KeywordKind, type PiiKind, type Span, UNIT_AFTER } from "./kinds.ts";

// Between groups: spaces of every width (folded to " " or kept as \s), dots, dashes, slashes,
// middle dots, brackets, underscores; full-width forms are already folded to these.
const SEPARATOR = /^[\s.\-/·_()[\]【】〔〕<>=,、。]{1,4}$/;
// Commas and 、 join groups only when they are not thousands separators ("12,000,000").
const WEAK = /[,、。]/;
const MAX_WINDOW_DIGITS = 20;

export interface Group {
  digits: string;
  start: number;
  end: number;
  /** Separator text before this group (empty for the first of a chain). */
  sep: string;
}

export interface Context {
  /** Kind of the nearest keyword before the chain, within reach. */
  keyword: KeywordKind | null;
}

/** Digit groups of the folded text, split into chains; `blocked` marks units no chain may use. */
export function chains(text: string, blocked: Uint8Array): Group[][] {
  const out: Group[][] = [];
  let current: Group[] = [];
  const re = /\d+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (blocked[start]) continue;
    const prev = current[current.length - 1];
    const gap = prev ? text.slice(prev.end, start) : "";
    const joins = prev !== undefined && SEPARATOR.test(gap) && !(WEAK.test(gap) && m[0].length === 3);
    if (!joins && current.length > 0) {
      out.push(current);
      current = [];
    }
    current.push({ digits: m[0], start, end, sep: joins ? gap : "" });
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Groups that belong to a written date ("2026-11-29", "29/11/2026", "20261129", "11-29"). */
function dateGroups(chain: Group[]): boolean[] {
  const inDate = chain.map(() => false);
  const dateSep = (s: string) => /^[-/.]$/.test(s.trim()) || /^[-/.]$/.test(s);
  for (let k = 0; k < chain.length; k++) {
    const a = chain[k];
    if (!a) continue;
    if (a.digits.length === 8) {
      const y = Number(a.digits.slice(0, 4));
      if (y >= 1900 && y <= 2099 && validDate(y, Number(a.digits.slice(4, 6)), Number(a.digits.slice(6, 8))))
        inDate[k] = true;
    }
    const b = chain[k + 1];
    const c = chain[k + 2];
    if (b && c && dateSep(b.sep) && b.sep === c.sep) {
      const [x, y, z] = [a.digits, b.digits, c.digits];
      const ymd = x.length === 4 && validDate(Number(x), Number(y), Number(z)) && y.length <= 2 && z.length <= 2;
      const dmy = z.length === 4 && x.length <= 2 && y.length <= 2 && validDate(Number(z), Number(y), Number(x));
      const mdy = z.length === 4 && x.length <= 2 && y.length <= 2 && validDate(Number(z), Number(x), Number(y));
      if (ymd || dmy || mdy) inDate[k] = inDate[k + 1] = inDate[k + 2] = true;
    }
    // "11-29 12-01": a month-day pair stands alone; "6/2/1/5/…" is one number, digit by digit.
    const alone = b && a.sep !== b.sep && chain[k + 2]?.sep !== b.sep;
    if (b && alone && dateSep(b.sep) && a.digits.length <= 2 && b.digits.length <= 2 && !inDate[k]) {
      if (validDate(2000, Number(a.digits), Number(b.digits))) inDate[k] = inDate[k + 1] = true;
    }
  }
  return inDate;
}

/** A country calling code written before the digits: "+86", "0086", "(+852)", "86-…". */
function countryCode(text: string, chain: Group[], i: number, digits: string): { cc: string; rest: string } | null {
  const first = chain[i];
  if (!first) return null;
  const plus = /\+[\s(]{0,2}$/.test(text.slice(Math.max(0, first.start - 3), first.start));
  for (const cc of ["852", "853", "886", "86"]) {
    if (digits.startsWith(`00${cc}`)) return { cc, rest: digits.slice(cc.length + 2) };
    if (digits.startsWith(cc) && (plus || first.digits === cc)) return { cc, rest: digits.slice(cc.length) };
  }
  // A Chinese mobile written with 86 glued on, no plus: 13 digits that are 86 and a mobile.
  if (digits.length === 13 && digits.startsWith("86") && mainlandMobile(digits.slice(2))) {
    return { cc: "86", rest: digits.slice(2) };
  }
  return null;
}

function phoneKind(text: string, chain: Group[], i: number, j: number, digits: string): PiiKind | null {
  const cc = countryCode(text, chain, i, digits);
  if (cc) {
    const rest = cc.rest.replace(/^0/, "");
    if (cc.cc === "86") {
      if (mainlandMobile(rest)) return "mobile";
      if (mainlandLandline(`0${rest}`)) return "phone";
    }
    if (cc.cc === "852" && hongKongNumber(rest)) return "phone";
    if (cc.cc === "853" && macauNumber(rest)) return "phone";
    if (cc.cc === "886" && taiwanNumber(rest)) return "phone";
    return null;
  }
  if (mainlandMobile(digits)) return "mobile";
  if (mainlandLandline(digits)) return "phone";
  if (/^09\d{8}$/.test(digits)) return "phone";
  // An area code written as its own group: "(02)2345-6789", "0571 8888 6666".
  const area = chain[i];
  if (area && j > i && /^0\d{1,3}$/.test(area.digits) && /^[2-9]\d{6,7}$/.test(digits.slice(area.digits.length)))
    return "phone";
  return null;
}

/** The kind of personal number a window of groups holds, if any. */
function windowKind(text: string, chain: Group[], i: number, j: number, digits: string, ctx: Context): PiiKind | null {
  const reference = ctx.keyword === "reference";
  const after = text.slice(chain[j]?.end ?? 0, (chain[j]?.end ?? 0) + 3);
  if (digits.length === 17 && /^[\s\-.]{0,2}[xX](?![a-z])/i.test(after) && residentIdValid(`${digits}X`))
    return "id_number";
  if (digits.length === 18 && residentIdValid(digits)) return "id_number";
  const phone = phoneKind(text, chain, i, j, digits);
  if (phone === "mobile") return phone;
  if (reference) return null;
  if (phone) return phone;
  if (digits.length === 15 && oldResidentIdValid(digits)) return "id_number";
  if (digits.length >= 13 && digits.length <= 19 && digits[0] !== "0" && luhnValid(digits)) return "card";
  // US SSN / ITIN 3-2-4 and EIN 2-7, only when written in their groups.
  const sizes = chain.slice(i, j + 1).map((g) => g.digits.length);
  const dashed = chain.slice(i + 1, j + 1).every((g) => /^[\s-]$/.test(g.sep));
  if (dashed && sizes.join() === "3,2,4" && !digits.startsWith("000") && !digits.startsWith("666")) return "tax_id";
  if (dashed && sizes.join() === "2,7" && chain[i + 1]?.sep === "-") return "tax_id";
  return null;
}

/** Chains that read as amounts: a unit after, a currency sign before, or round groups listed. */
function amountLike(text: string, chain: Group[], ctx: Context): boolean {
  const last = chain[chain.length - 1];
  const first = chain[0];
  if (!last || !first) return false;
  if (UNIT_AFTER.test(text.slice(last.end, last.end + 6))) return true;
  if (/[¥￥$€£]\s{0,2}$/.test(text.slice(Math.max(0, first.start - 3), first.start))) return true;
  const round = chain.every((g) => g.digits.endsWith("0"));
  if (chain.length >= 3 && chain.every((g) => g.digits.endsWith("00"))) return true;
  return round && chain.length >= 2 && ctx.keyword === "amount";
}

/** Minimum digits a keyword's kind needs before the whole chain after it is masked. */
const KEYWORD_MIN: Partial<Record<KeywordKind, [number, number]>> = {
  card: [6, 30],
  account: [6, 34],
  id_number: [8, 20],
  phone: [7, 16],
  passport: [6, 12],
  permit: [6, 12],
  tax_id: [6, 15],
  payment_account: [5, 16],
  security_code: [3, 8],
};

export function numberSpans(text: string, chain: Group[], ctx: Context): Span[] {
  const spans: Span[] = [];
  if (amountLike(text, chain, ctx)) return spans;
  const first = chain[0];
  const last = chain[chain.length - 1];
  if (!first || !last) return spans;
  const total = chain.reduce((n, g) => n + g.digits.length, 0);
  // Service numbers (400/800 hotlines, 95xxx bank lines, 10086-style short codes) belong to companies.
  const service = /^(?:[48]00\d{7}|95\d{3,4}|1[0-2]\d{3})$/.test(chain.map((g) => g.digits).join(""));
  const reach = ctx.keyword && !service ? KEYWORD_MIN[ctx.keyword] : undefined;
  const inDate = dateGroups(chain);
  for (let i = 0; i < chain.length; i++) {
    let digits = "";
    for (let j = i; j < chain.length; j++) {
      digits += chain[j]?.digits ?? "";
      if (digits.length > MAX_WINDOW_DIGITS) break;
      if (digits.length < 7) continue;
      if (inDate.slice(i, j + 1).every(Boolean)) continue;
      const kind = windowKind(text, chain, i, j, digits, ctx);
      if (!kind) continue;
      const g = chain[j];
      let end = g?.end ?? 0;
      if (kind === "id_number" && digits.length === 17)
        end += /^[\s\-.]{0,2}[xX]/.exec(text.slice(end))?.[0].length ?? 0;
      let start = chain[i]?.start ?? 0;
      if (kind === "mobile" || kind === "phone")
        start -= /\+[\s(]{0,2}$/.exec(text.slice(Math.max(0, start - 3), start))?.[0].length ?? 0;
      spans.push({ start, end, kind });
    }
  }
  // Whatever follows a keyword is masked whole, after the structural finds so they name the kind.
  if (reach && ctx.keyword !== "security_code" && total >= reach[0] && total <= reach[1]) {
    spans.push({ start: first.start, end: last.end, kind: ctx.keyword as PiiKind });
  }
  return spans;
}
