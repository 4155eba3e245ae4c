// Runs the families over a trainee's turns: every hit keeps its family, the trainee's own words
// and the turn. Negations, quotes of the customer and rules explained with a reason or an
// alternative are told apart here, once for every family.
import type { Language } from "../../domain/persona.ts";
import { type DetectorKind, type FamilySpec, kindOf, type LanguagePack, type Redeemer } from "./families.ts";
import { compilePattern, type Lexicons } from "./pattern.ts";
import { type CanonicalText, canonical } from "./text.ts";
import { PACKS } from "./packs.ts";
import { type CompiledRambling, compileRambling, ramblingWords, readRambling } from "./rambling.ts";

export interface DetectorHit {
  /** The family id (built-in) or the scenario taboo id (persona). */
  family: string;
  kind: DetectorKind;
  turn: number;
  /** The trainee's words that matched, as typed. */
  words: string;
  /** A trainer-given label (scenario taboos); built-in families are named by the message tables. */
  label?: string;
}

interface CompiledFamily {
  id: string;
  kind: DetectorKind;
  language: Language;
  strong: RegExp[];
  soft: RegExp[];
  redeemedBy: readonly Redeemer[];
  notAfter: RegExp | null;
  notBefore: RegExp | null;
  served: RegExp | null;
  servedUnless: RegExp | null;
  label?: string;
}

interface CompiledPack {
  language: Language;
  families: CompiledFamily[];
  reporting: RegExp;
  reportingBlockers: string;
  reasons: RegExp;
  contradiction: RegExp;
  rambling: CompiledRambling;
}

/** Patterns trainers add: per family (rubric), scenario taboos and empathy lines (persona). */
export interface DetectorAdditions {
  language: Language;
  families?: Partial<Record<string, readonly string[]>>;
  scenarioTaboos?: ReadonlyArray<{ id: string; label: string; patterns: readonly string[] }>;
  scenarioEmpathy?: readonly string[];
}

const SENTENCE_END = /[.!?;。\n]/;
const CLAUSE_END = /[.!?;。\n,，、:]/;
const QUOTE_OPEN = /[“「『]/g;
const QUOTE_CLOSE = /[”」』]/g;

function alternation(patterns: readonly string[], language: Language, lexicons: Lexicons): string {
  return patterns.map((p) => compilePattern(p, language, lexicons, { builtIn: true }).source).join("|");
}

/** "Ends right before the hit": Chinese allows two characters after the cue, English three words. */
function tailRegex(patterns: readonly string[] | undefined, language: Language, lexicons: Lexicons): RegExp | null {
  if (!patterns || patterns.length === 0) return null;
  const slack = language === "en" ? "(?:[\\s,]+[a-z']+){0,3}[\\s,]*" : ".{0,2}";
  return new RegExp(`(?:${alternation(patterns, language, lexicons)})${slack}$`);
}

function headRegex(patterns: readonly string[] | undefined, language: Language, lexicons: Lexicons): RegExp | null {
  if (!patterns || patterns.length === 0) return null;
  // English cues are written with their leading space (" to"); Chinese ones follow at once.
  const sources = patterns.map((p) =>
    language === "en" && p.startsWith(" ")
      ? `[\\s,]+(?:${compilePattern(p.trim(), language, lexicons, { builtIn: true }).source})`
      : compilePattern(p, language, lexicons, { builtIn: true }).source,
  );
  return new RegExp(`^(?:${sources.join("|")})`);
}

function anyOf(patterns: readonly string[] | undefined, language: Language, lexicons: Lexicons): RegExp | null {
  if (!patterns || patterns.length === 0) return null;
  return new RegExp(`(?:${alternation(patterns, language, lexicons)})`);
}

/** `builtIn`: the family's own patterns (canonical already); otherwise a trainer's, read like text. */
function compileFamily(spec: FamilySpec, language: Language, lexicons: Lexicons, builtIn: boolean): CompiledFamily {
  const kind = kindOf(spec.id);
  if (kind === null) throw new Error(`unknown detector family ${spec.id}`);
  return {
    id: spec.id,
    kind,
    language,
    strong: spec.patterns.map((p) => compilePattern(p, language, lexicons, { builtIn })),
    soft: (spec.soft?.patterns ?? []).map((p) => compilePattern(p, language, lexicons, { builtIn })),
    redeemedBy: spec.soft?.redeemedBy ?? [],
    notAfter: tailRegex(spec.notAfter, language, lexicons),
    notBefore: headRegex(spec.notBefore, language, lexicons),
    served: anyOf(spec.servedBy?.patterns, language, lexicons),
    servedUnless: anyOf(spec.servedBy?.unless, language, lexicons),
  };
}

function compilePack(pack: LanguagePack, language: Language): CompiledPack {
  return {
    language,
    families: pack.families.map((f) => compileFamily(f, language, pack.lexicons, true)),
    reporting: new RegExp(`(?:${alternation(pack.reporting, language, pack.lexicons)})`, "g"),
    reportingBlockers: pack.reportingBlockers,
    reasons: new RegExp(`(?:${alternation(pack.reasons, language, pack.lexicons)})`),
    contradiction: new RegExp(`^[\\s,，。.!！]*(?:${alternation(pack.contradictionOpeners, language, pack.lexicons)})`),
    rambling: compileRambling(pack.rambling, language, pack.lexicons),
  };
}

const builtIn = new Map<Language, CompiledPack>();

function builtInPack(language: Language): CompiledPack {
  let p = builtIn.get(language);
  if (!p) {
    p = compilePack(PACKS[language], language);
    builtIn.set(language, p);
  }
  return p;
}

/** The extra families trainers wrote, compiled in their file's language with that language's rules. */
function additionFamilies(add: DetectorAdditions): CompiledFamily[] {
  const pack = PACKS[add.language];
  const out: CompiledFamily[] = [];
  for (const [family, patterns] of Object.entries(add.families ?? {})) {
    const spec = pack.families.find((f) => f.id === family);
    if (!spec || !patterns || patterns.length === 0) continue;
    const base = compileFamily({ ...spec, patterns, soft: undefined }, add.language, pack.lexicons, false);
    out.push(base);
  }
  for (const t of add.scenarioTaboos ?? []) {
    out.push({
      ...compileFamily(
        { id: "presuming", patterns: t.patterns, notAfter: ["{negator}"] },
        add.language,
        pack.lexicons,
        false,
      ),
      id: t.id,
      label: t.label,
    });
  }
  if (add.scenarioEmpathy && add.scenarioEmpathy.length > 0) {
    out.push(
      compileFamily(
        { id: "validating-feeling", patterns: add.scenarioEmpathy, notAfter: ["{negator}"] },
        add.language,
        pack.lexicons,
        false,
      ),
    );
  }
  return out;
}

function lastIndexOf(text: string, re: RegExp, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (re.test(text[i] ?? "")) return i;
  return -1;
}

/** Inside quotation marks: the trainee is repeating someone's words, not saying them. */
function insideQuotes(text: string, at: number): boolean {
  const head = text.slice(0, at);
  const opened = (head.match(QUOTE_OPEN) ?? []).length - (head.match(QUOTE_CLOSE) ?? []).length;
  return opened > 0 || (head.match(/"/g) ?? []).length % 2 === 1;
}

interface Match {
  family: CompiledFamily;
  start: number;
  end: number;
  soft: boolean;
}

function matchesOf(family: CompiledFamily, c: CanonicalText): Match[] {
  const out: Match[] = [];
  const run = (res: RegExp[], soft: boolean) => {
    for (const re of res) {
      re.lastIndex = 0;
      for (let m = re.exec(c.text); m !== null; m = re.exec(c.text)) {
        if (m[0].length === 0) re.lastIndex++;
        else out.push({ family, start: m.index, end: m.index + m[0].length, soft });
      }
    }
  };
  run(family.strong, false);
  run(family.soft, true);
  return out;
}

/** The sentence reports the customer's words or feelings ("you said ...", 您说…). */
function reports(sentence: string, pack: CompiledPack): boolean {
  for (const r of sentence.matchAll(pack.reporting)) {
    const prev = sentence[r.index - 1] ?? "";
    if (prev === "" || !pack.reportingBlockers.includes(prev)) return true;
  }
  return false;
}

function cancelled(m: Match, c: CanonicalText, pack: CompiledPack): boolean {
  const text = c.text;
  const clauseStart = lastIndexOf(text, CLAUSE_END, m.start) + 1;
  const before = text.slice(clauseStart, m.start);
  if (m.family.notAfter?.test(before)) return true;
  if (m.family.notBefore?.test(text.slice(m.end))) return true;
  if (m.family.served) {
    const next = text.slice(m.end).search(CLAUSE_END);
    const clause = text.slice(clauseStart, next < 0 ? text.length : m.end + next);
    if (m.family.served.test(clause) && !m.family.servedUnless?.test(clause)) return true;
  }
  if (m.family.kind === "taboo") {
    if (insideQuotes(text, m.start)) return true;
    const sentence = text.slice(lastIndexOf(text, SENTENCE_END, m.start) + 1, m.start);
    if (reports(sentence, pack)) return true;
  }
  return false;
}

/** Keeps one hit per family for overlapping spans (the longest), in text order. */
function distinct(matches: Match[]): Match[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Match[] = [];
  for (const m of sorted) {
    const prev = out.findLast((o) => o.family.id === m.family.id);
    if (prev && m.start < prev.end) continue;
    out.push(m);
  }
  return out;
}

export interface TurnText {
  seq: number;
  text: string;
  /**
   * Written dialogues can have a second member of staff; absent means the trainee. The customer's
   * turns are never read for hits: they tell how long a message the staff were answering.
   */
  speaker?: "trainee" | "colleague" | "customer";
}

/** Staff disagreeing in the open: a colleague's flat "no", or the trainee's, right after a colleague. */
function contradictionHit(
  t: TurnText,
  previous: TurnText | undefined,
  c: CanonicalText,
  packs: CompiledPack[],
): DetectorHit | null {
  if (t.speaker !== "colleague" && previous?.speaker !== "colleague") return null;
  for (const pack of packs) {
    const m = pack.contradiction.exec(c.text);
    if (m)
      return { family: "contradicting-colleague", kind: "taboo", turn: t.seq, words: c.originalSpan(0, m[0].length) };
  }
  return null;
}

/** The pack of the script the turn is mostly written in (Chinese lines often carry "ATM" or "App"). */
function packFor(text: string, packs: CompiledPack[]): CompiledPack {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const latin = (text.match(/[a-z]/g) ?? []).length;
  const language: Language = han > 0 && han * 2 >= latin ? "zh-CN" : "en";
  return packs.find((p) => p.language === language) ?? (packs[0] as CompiledPack);
}

/**
 * All hits in the trainee's turns. Both built-in languages run on every turn (trainees mix
 * English into Chinese and the other way round); a trainer's additions run in their language.
 */
export function detect(turns: readonly TurnText[], additions: readonly DetectorAdditions[] = []): DetectorHit[] {
  const packs = [builtInPack("zh-CN"), builtInPack("en")];
  const extra = additions.flatMap(additionFamilies);
  const hits: DetectorHit[] = [];
  let previous: TurnText | undefined;
  let customer: string | null = null;
  for (const t of turns) {
    const c = canonical(t.text);
    if (t.speaker === "customer") {
      customer = c.text;
      continue;
    }
    const disagreement = contradictionHit(t, previous, c, packs);
    previous = t;
    const found: Match[] = [];
    for (const pack of packs) {
      // A pack reads only its own script: no Chinese pattern can match a turn without Chinese.
      if (!(pack.language === "en" ? /[a-z]/ : /\p{Script=Han}/u).test(c.text)) continue;
      const families = [...pack.families, ...extra.filter((f) => f.language === pack.language)];
      for (const f of families) {
        for (const m of matchesOf(f, c)) if (!cancelled(m, c, pack)) found.push(m);
      }
    }
    const has = (kind: DetectorKind, family?: string) =>
      found.some((m) => m.family.kind === kind && !m.soft && (family === undefined || m.family.id === family));
    const reasonGiven = packs.some((p) => p.reasons.test(c.text));
    const redeemed = (m: Match) =>
      m.soft &&
      m.family.redeemedBy.some((r) =>
        r === "reason" ? reasonGiven : r === "can_do" ? has("can_do") : has("empathy", "apology"),
      );
    // A soft form inside a stronger habit's words is that habit ("规定，我也没办法" hides behind the rule).
    const inside = (m: Match) =>
      m.soft &&
      m.family.kind === "taboo" &&
      found.some(
        (o) =>
          !o.soft && o.family.kind === "taboo" && o.family.id !== m.family.id && o.start <= m.start && o.end >= m.end,
      );
    for (const m of distinct(found.filter((x) => !redeemed(x) && !inside(x)))) {
      hits.push({
        family: m.family.id,
        kind: m.family.kind,
        turn: t.seq,
        words: c.originalSpan(m.start, m.end),
        ...(m.family.label ? { label: m.family.label } : {}),
      });
    }
    const rambling = readRambling(c, packFor(c.text, packs).rambling, {
      customer,
      firstCare: found
        .filter((m) => m.family.kind === "empathy")
        .reduce<number | null>((first, m) => (first === null || m.start < first ? m.start : first), null),
    });
    if (rambling) hits.push({ family: "rambling", kind: "taboo", turn: t.seq, words: ramblingWords(c) });
    if (disagreement && !hits.some((h) => h.turn === t.seq && h.family === "contradicting-colleague")) {
      hits.push(disagreement);
    }
  }
  return hits;
}
