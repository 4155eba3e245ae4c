// Masks personal data in trainee text before it reaches the model, the database or a log: trainees
// paste real card, ID and phone numbers out of habit, and under China's PIPL financial account data
// is sensitive personal information. Each kind is recognised by its structure (check digits,
// number plans, document shapes) or by the words that announce it, never by one separator, so
// amounts, dates and reference numbers survive. What is masked: docs/privacy.md.
import type { Language } from "../../domain/persona.ts";
import { addressSpans, emailSpans, nameSpans } from "./contacts.ts";
import { documentSpans } from "./documents.ts";
import { type Folded, fold, wellFormed } from "./fold.ts";
import {
  type KeywordKind,
  keywordKind,
  keywordPattern,
  type PiiKind,
  SENTENCE_END,
  type Span,
  UNIT_AFTER,
} from "./kinds.ts";
import { privacyLabels } from "./messages.ts";
import { chains, type Group, numberSpans } from "./numbers.ts";

export type { PiiKind } from "./kinds.ts";
export { wellFormed } from "./fold.ts";

export interface Redaction {
  text: string;
  /** What was masked, by kind (counts), for the once-per-session notice. */
  found: Partial<Record<PiiKind, number>>;
}

// Session ids, update ids and hashes that appear in errors and logs are not personal data and
// must reach the log whole: "2ceb9834-6a…" is an id even though it contains digit groups.
// Hashes are lower-case hex; an upper-case run like "DE47…" is more likely an IBAN.
const PROTECTED =
  /(?<![0-9A-Za-z])(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,})(?![0-9A-Za-z])/g;

const KEYWORD_REACH = 20;
// Where a keyword's alphanumeric value sits: passports, permits, tax numbers, app accounts.
const CODE_AFTER =
  /^[^\S\n]*(?:[:：=#＃]|是|为|為|号码?|號碼?|码|碼|number|no\.?|num|nr|is|was|id|account|账号|帳號|的|我的|my|the|[^\S\n])*([A-Za-z0-9][A-Za-z0-9_\-.]*[A-Za-z0-9])/i;
const TOKEN_KINDS: Partial<Record<KeywordKind, (token: string) => boolean>> = {
  passport: (t) => /\d{5,}/.test(t.replace(/\D/g, "")) && t.length <= 14,
  permit: (t) => /\d{6,}/.test(t.replace(/\D/g, "")) && t.length <= 20,
  tax_id: (t) => /\d{5,}/.test(t.replace(/\D/g, "")) && t.length <= 20,
  id_number: (t) => /\d{6,}/.test(t.replace(/\D/g, "")) && /[A-Za-z]/.test(t) && t.length <= 20,
  payment_account: (t) => t.length >= 5 && t.length <= 40 && !/^(?:pay|payment|account|number|code)$/i.test(t),
};

interface Keyword {
  kind: KeywordKind;
  start: number;
  end: number;
}

function keywordsIn(text: string): Keyword[] {
  const out: Keyword[] = [];
  const re = keywordPattern();
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const kind = keywordKind(m);
    if (kind) out.push({ kind, start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** The nearest keyword before `at` with nothing but words between (no digits, no sentence end). */
function keywordBefore(text: string, keywords: Keyword[], at: number): KeywordKind | null {
  for (let k = keywords.length - 1; k >= 0; k--) {
    const kw = keywords[k];
    if (!kw || kw.end > at) continue;
    if (at - kw.end > KEYWORD_REACH) return null;
    const gap = text.slice(kw.end, at);
    if (/\d/.test(gap) || SENTENCE_END.test(gap)) return null;
    return kw.kind;
  }
  return null;
}

function securityCodeSpans(text: string, keywords: Keyword[], allChains: Group[][]): Span[] {
  const spans: Span[] = [];
  const digitsOf = (c: Group[]) => c.reduce((n, g) => n + g.digits.length, 0);
  const codeLike = (c: Group[]) => {
    const n = digitsOf(c);
    const last = c[c.length - 1];
    return (
      n >= 3 &&
      n <= 8 &&
      !(last && /^\s{0,2}(?:元|块|%|次|天|分钟|小时|个|位|岁)/.test(text.slice(last.end, last.end + 4)))
    );
  };
  for (const kw of keywords) {
    if (kw.kind !== "security_code") continue;
    // After the keyword, words may come between ("密码我记得是 705181", "password is probably …").
    for (const c of allChains) {
      const first = c[0];
      const last = c[c.length - 1];
      if (!first || !last || first.start < kw.end) continue;
      if (first.start - kw.end > 24 || SENTENCE_END.test(text.slice(kw.end, first.start))) break;
      if (codeLike(c)) {
        spans.push({ start: first.start, end: last.end, kind: "security_code" });
        break;
      }
    }
    // Before it: "395 是背面的三位数", "705181 is my password".
    const before = allChains.filter((c) => (c[c.length - 1]?.end ?? 0) <= kw.start).pop();
    const last = before?.[before.length - 1];
    if (before && last && codeLike(before)) {
      const gap = text.slice(last.end, kw.start);
      if (
        /^\s*(?:就是|是|为|為|is|was|=|:)?\s*(?:我的|你的|我|卡的|卡|my|the|your)?\s*(?:银行卡|信用卡|card|account)?\s*(?:的)?\s*$/i.test(
          gap,
        )
      )
        spans.push({ start: before[0]?.start ?? 0, end: last.end, kind: "security_code" });
    }
  }
  return spans;
}

function tokenSpans(text: string, keywords: Keyword[]): Span[] {
  const spans: Span[] = [];
  for (const kw of keywords) {
    const accepts = TOKEN_KINDS[kw.kind];
    if (!accepts) continue;
    const m = CODE_AFTER.exec(text.slice(kw.end, kw.end + 60));
    const token = m?.[1];
    if (!m || !token || !accepts(token)) continue;
    const end = kw.end + m[0].length;
    spans.push({ start: end - token.length, end, kind: kw.kind as PiiKind });
  }
  return spans;
}

/** Every piece of personal data in the folded text, as spans of the folded text. */
function spansOf(f: Folded, protect: RegExp[]): Span[] {
  const text = f.text;
  const blocked = new Uint8Array(text.length);
  for (const re of protect) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) blocked.fill(1, m.index, m.index + m[0].length);
  }
  const keywords = keywordsIn(text);
  // Digits inside a keyword ("CVV2", "背面3位数") are part of the name, not of the number after it.
  const inKeyword = Uint8Array.from(blocked);
  for (const kw of keywords) inKeyword.fill(1, kw.start, kw.end);
  const allChains = chains(text, inKeyword);
  const spans: Span[] = [
    ...emailSpans(text),
    ...documentSpans(text),
    ...nameSpans(f.plain),
    ...addressSpans(f.plain),
    ...securityCodeSpans(text, keywords, allChains),
    ...tokenSpans(text, keywords),
  ];
  for (const chain of allChains) {
    const first = chain[0];
    if (!first) continue;
    spans.push(...numberSpans(text, chain, { keyword: keywordBefore(text, keywords, first.start) }));
  }
  return spans.filter((s) => s.end > s.start && !blocked.subarray(s.start, s.end).every((b) => b === 1));
}

/** Overlapping spans become one; the kind of the longest wins the label. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<Span & { weight: number }> = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end - s.start > last.weight) {
        last.kind = s.kind;
        last.weight = s.end - s.start;
      }
      last.end = Math.max(last.end, s.end);
    } else out.push({ ...s, weight: s.end - s.start });
  }
  return out;
}

/** Spans of personal data in `text` (original offsets, merged, in order). */
export function findPersonalData(text: string, protect: RegExp[] = [PROTECTED]): Span[] {
  const f = fold(text);
  return merge(spansOf(f, protect)).map((s) => ({
    start: f.from[s.start] ?? 0,
    end: f.to[s.end - 1] ?? text.length,
    kind: s.kind,
  }));
}

function apply(text: string, spans: Span[], language: Language): Redaction {
  const labels = privacyLabels(language);
  const found: Partial<Record<PiiKind, number>> = {};
  let out = "";
  let last = 0;
  for (const s of spans) {
    out += text.slice(last, s.start) + labels[s.kind];
    found[s.kind] = (found[s.kind] ?? 0) + 1;
    last = s.end;
  }
  return { text: out + text.slice(last), found };
}

/** The text with personal data replaced by labels in `language`; invalid UTF-16 repaired. */
export function redact(text: string, language: Language): Redaction {
  const clean = wellFormed(text);
  return apply(clean, findPersonalData(clean), language);
}

// In log lines, a number named as an id is one: "update 734521998", "channel 1187654321987654321".
const NAMED_ID =
  /\b(?:session|chat|channel|guild|user|message|interaction|update|thread|shard|snowflake|request|job|holder|turn|id)s?(?:[ _-]?id)?[\s:=#"'(]{0,3}[0-9A-Za-z][0-9A-Za-z_-]{3,}/gi;

/**
 * Masks free text bound for a log line (an error message, a problem description). Ids in it
 * (session UUIDs, update and message ids named as such, hashes) are kept whole.
 */
export function redactLogText(text: string): string {
  const clean = wellFormed(text);
  return apply(clean, findPersonalData(clean, [PROTECTED, NAMED_ID]), "en").text;
}

export function anyFound(r: Redaction): boolean {
  return Object.keys(r.found).length > 0;
}

export interface TurnRedaction extends Redaction {
  /**
   * The previous trainee message, masked again, when its end and the start of this one join
   * into one piece of personal data (a card number sent in two halves); absent otherwise.
   */
  previous?: string;
}

const NUMBER_KINDS: PiiKind[] = [
  "card",
  "account",
  "id_number",
  "mobile",
  "phone",
  "tax_id",
  "iban",
  "passport",
  "permit",
];

/**
 * When the previous message ended in a number already masked ("卡号是［卡号已隐藏］") and this
 * one opens with more digits, those digits are the rest of it: the join can no longer be checked,
 * so the leading run is masked as the same kind unless it reads as an amount or a date.
 */
function continuation(clean: string, own: TurnRedaction, previous: string, language: Language): TurnRedaction {
  const tail = previous.replace(/[\s,，.。、:：;；…-]+$/, "");
  const kind = NUMBER_KINDS.find(
    (k) => tail.endsWith(privacyLabels("en")[k]) || tail.endsWith(privacyLabels("zh-CN")[k]),
  );
  if (!kind) return own;
  const f = fold(clean);
  const lead = /^[\s,，.。、:：;；…-]*(\d(?:[\s.\-/·_]{0,3}\d)*)/.exec(f.text);
  const run = lead?.[1];
  if (!lead || !run || run.replace(/\D/g, "").length < 4) return own;
  const end = lead[0].length;
  if (UNIT_AFTER.test(f.text.slice(end, end + 6)) || /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(run)) return own;
  const start = end - run.length;
  const spans = merge([
    ...findPersonalData(clean),
    { start: f.from[start] ?? 0, end: f.to[end - 1] ?? clean.length, kind },
  ]);
  return apply(clean, spans, language);
}

// How much of the previous message is read back: enough for a keyword and a long number.
const CARRY = 80;

/**
 * Masks a new trainee message, also looking at where the previous one (as stored, already
 * masked) ended: "我的卡号是6222 0212" then "3456 7890 1234" is one card number. Whatever the
 * joined text reveals is masked in both messages.
 */
export function redactTurn(text: string, language: Language, previous?: string | null): TurnRedaction {
  const own = redact(text, language);
  if (!previous) return own;
  const clean = wellFormed(text);
  let cut = Math.max(0, previous.length - CARRY);
  if (/[\udc00-\udfff]/.test(previous[cut] ?? "")) cut++;
  const tail = previous.slice(cut);
  const joined = `${tail}\n${clean}`;
  const boundary = tail.length + 1;
  const spans = findPersonalData(joined.replace("\n", " "));
  const crossing = spans.filter((s) => s.start < boundary && s.end > boundary);
  if (crossing.length === 0) return continuation(clean, own, previous, language);
  const prevSpans = crossing.map((s) => ({ start: s.start + cut, end: previous.length, kind: s.kind }));
  const nextSpans = merge([
    ...findPersonalData(clean),
    ...crossing.map((s) => ({ start: 0, end: s.end - boundary, kind: s.kind })),
  ]);
  const next = apply(clean, nextSpans, language);
  const trimmed = prevSpans.map((s) => ({ ...s, end: s.start + previous.slice(s.start).trimEnd().length }));
  return { ...next, previous: apply(previous, merge(trimmed), language).text };
}
