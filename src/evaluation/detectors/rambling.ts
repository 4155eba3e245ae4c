// The seeds' 滔滔不绝 (rambling): "let the customer finish", "the customer wants to see action, not
// hear explanations", "the more you say, the more you give away". It lives in the shape of a turn
// rather than in a phrase, so it is read from structure:
//   - the turn is long, and long against the customer's message it answers;
//   - the opening neither answers nor cares (no direct reply, no apology, no naming of the feeling
//     or worry, no step the staff take): the answer, if any, is buried;
//   - what the turn talks about is procedure, background and digression, or the bank and the
//     speaker themselves rather than the customer.
// A turn far longer than any answer needs is a monologue whatever it says.
import type { Language } from "../../domain/persona.ts";
import type { RamblingSpec } from "./families.ts";
import { compilePattern, type Lexicons } from "./pattern.ts";
import type { CanonicalText } from "./text.ts";

export interface CompiledRambling {
  spec: RamblingSpec;
  language: Language;
  self: RegExp;
  customer: RegExp;
  lecture: RegExp;
  glue: RegExp;
  reply: RegExp;
  acting: RegExp;
  offering: RegExp;
  answers: Array<{ asks: RegExp; opening: RegExp }>;
}

function union(patterns: readonly string[], language: Language, lexicons: Lexicons, flags: string): RegExp {
  const sources = patterns.map((p) => compilePattern(p, language, lexicons, { builtIn: true }).source);
  return new RegExp(`(?:${sources.join("|")})`, flags);
}

export function compileRambling(spec: RamblingSpec, language: Language, lexicons: Lexicons): CompiledRambling {
  // A reply opens the turn, after punctuation and a way of addressing the customer.
  const start = `^[\\s,.!。，！]*(?:${union(spec.address, language, lexicons, "").source}[\\s,.!。，！]*)?`;
  return {
    spec,
    language,
    self: union(spec.self, language, lexicons, "g"),
    customer: union(spec.customer, language, lexicons, "g"),
    lecture: union(spec.lecture, language, lexicons, "g"),
    glue: union(spec.glue, language, lexicons, "g"),
    reply: new RegExp(`${start}${union(spec.reply, language, lexicons, "").source}`),
    acting: union(spec.acting, language, lexicons, ""),
    offering: union(spec.offering, language, lexicons, ""),
    answers: spec.answers.map((a) => ({
      asks: union(a.asks, language, lexicons, ""),
      opening: a.atStart
        ? new RegExp(`${start}${union(a.opening, language, lexicons, "").source}`)
        : union(a.opening, language, lexicons, ""),
    })),
  };
}

/** How much was said: Han characters for Chinese, words for English. */
export function sizeOf(text: string, language: Language): number {
  if (language === "en") return text.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w)).length;
  return (text.match(/\p{Script=Han}/gu) ?? []).length;
}

function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  return (text.match(re) ?? []).length;
}

const SENTENCE_END = /[.!?;。！？；\n]/;
/** The opening: the first sentence, and at least this share of the turn. */
const OPENING_SHARE = 0.5;

/** Where the opening of a turn ends (a character index of the canonical text). */
function openingEnd(text: string): number {
  const first = text.search(SENTENCE_END);
  return Math.max(first < 0 ? text.length : first + 1, Math.ceil(text.length * OPENING_SHARE));
}

export interface RamblingContext {
  /** The customer's message the turn answers (canonical text), or null when the staff spoke first. */
  customer: string | null;
  /**
   * Where the turn's first apology, named feeling or worry, or taking of ownership starts, if any.
   * (A "next step" may be the procedure itself: "first it goes to ..., then ...".)
   */
  firstCare: number | null;
}

export interface RamblingReading {
  size: number;
  /** Why it reads as rambling, for tests and for anyone tuning a language pack. */
  reasons: Array<"monologue" | "buried" | "self-centred" | "lecture">;
}

/** Whether the turn rambles, and why; null when it does not. */
export function readRambling(c: CanonicalText, r: CompiledRambling, ctx: RamblingContext): RamblingReading | null {
  const { spec, language } = r;
  const size = sizeOf(c.text, language);
  if (size > spec.monologue) return { size, reasons: ["monologue"] };
  if (size < spec.minSize) return null;
  // Answering a long message at length is no lecture.
  const asked = ctx.customer === null ? 0 : sizeOf(ctx.customer, language);
  if (size < spec.ratio * asked) return null;
  const opening = openingEnd(c.text);
  if (ctx.firstCare !== null && ctx.firstCare < opening) return null;
  const head = c.text.slice(0, opening);
  if (r.reply.test(head) || r.acting.test(head)) return null;
  const question = ctx.customer;
  if (question !== null && r.answers.some((a) => a.asks.test(question) && a.opening.test(head))) return null;
  // What the turn is about: a lecture on procedure and background; talking about the bank and
  // oneself more than about the customer makes a shorter lecture enough.
  const selfCentred = count(r.self, c.text) > count(r.customer, c.text);
  const offers = r.offering.test(c.text);
  const needed = Math.max(spec.lectureMin, size / spec.lecturePer) - (selfCentred ? 1 : 0) + (offers ? 1 : 0);
  if (count(r.lecture, c.text) + count(r.glue, c.text) / 2 < needed) return null;
  return { size, reasons: selfCentred ? ["buried", "lecture", "self-centred"] : ["buried", "lecture"] };
}

/** The hit, quoted by the turn's opening words. */
export function ramblingWords(c: CanonicalText): string {
  const firstEnd = c.text.search(SENTENCE_END);
  const end = Math.min(firstEnd < 0 ? c.text.length : firstEnd, 40);
  return `${c.originalSpan(0, end)}…`;
}
