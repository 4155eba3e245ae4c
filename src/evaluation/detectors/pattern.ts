// The small pattern language of the detectors. Trainers write it in rubrics and personas, and the
// built-in families are written in it too, so both follow the same rules:
//
//   words        match themselves in the canonical text (simplified, lower case, 您 as 你,
//                "don't" as "do not"); in English a space matches any spacing or comma
//   (a|b|c)      one of the choices;  (…)? or x?  optional
//   {name}       one of the words of a named lexicon of the language (e.g. {rule}, {you})
//   ..  ..N      a gap of up to 8 characters (Chinese) or 5 words (English), or N, never across
//                the end of a sentence: 规定..不(能|行) matches 规定上确实不能 and 规定不行
//   #            a number, in digits or Chinese numerals (3, 15, 三, 两)
//   \x           the character x itself (for ( ) { } | ? . # \)
import { RoleplayError } from "../../errors/index.ts";
import { errorMessages } from "../../errors/messages.ts";
import type { Language } from "../../domain/persona.ts";
import { canonical } from "./text.ts";

/** What can be wrong in a pattern; the catalogue checker words each in the trainer's language. */
export type PatternProblem =
  | "empty"
  | "unclosedBracket"
  | "unopenedBracket"
  | "unclosedBrace"
  | "unopenedBrace"
  | "emptyChoice"
  | "badLexiconName"
  | "unknownLexicon"
  | "selfLexicon"
  | "gapRange"
  | "misplacedOptional"
  | "trailingEscape"
  | "matchesEmpty";

export class PatternError extends RoleplayError {
  readonly code: PatternProblem;
  /** The lexicon name, the gap size or the list of known lexicons, depending on the code. */
  readonly detail: string;
  /** 1-based character position in the pattern, when the problem has one. */
  readonly column: number | null;
  constructor(code: PatternProblem, detail = "", column: number | null = null) {
    super(errorMessages("en").patternInvalid(code, detail, column));
    this.code = code;
    this.detail = detail;
    this.column = column;
  }
  localized(language: Language): string {
    return errorMessages(language).patternInvalid(this.code, this.detail, this.column);
  }
}

/** Named word lists a pattern can refer to as {name}; entries are patterns themselves. */
export type Lexicons = Readonly<Record<string, readonly string[]>>;

const MAX_GAP = 30;
const DEFAULT_GAP: Record<Language, number> = { "zh-CN": 8, en: 5 };
/** Characters per English word in a gap (a generous average, spaces included). */
const CHARS_PER_WORD = 8;
const SENTENCE_END = ".!?;。\\n";
const EN_SEPARATOR = "[\\s,;:'\"()\\-]+";

type Item =
  | { kind: "literal"; text: string }
  | { kind: "sep" }
  | { kind: "gap"; max: number }
  | { kind: "group"; alternatives: Item[][] }
  | { kind: "lexicon"; name: string }
  | { kind: "number" }
  | { kind: "optional"; item: Item };

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly src: string;
  private readonly language: Language;
  constructor(src: string, language: Language) {
    this.src = src;
    this.language = language;
  }

  parse(): Item[][] {
    const alts = this.alternatives();
    if (this.pos < this.src.length) throw new PatternError("unopenedBracket", "", this.pos + 1);
    return alts;
  }

  private alternatives(): Item[][] {
    const alts: Item[][] = [this.sequence()];
    while (this.src[this.pos] === "|") {
      this.pos++;
      alts.push(this.sequence());
    }
    for (const a of alts) {
      if (a.every((i) => i.kind === "sep")) throw new PatternError("emptyChoice", "", this.pos);
    }
    return alts;
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] as string;
      if (c === "|" || c === ")") break;
      const at = this.pos + 1;
      if (c === "(") {
        this.pos++;
        this.depth++;
        const alternatives = this.alternatives();
        this.depth--;
        if (this.src[this.pos] !== ")") throw new PatternError("unclosedBracket", "", at);
        this.pos++;
        items.push({ kind: "group", alternatives });
      } else if (c === "{") {
        const end = this.src.indexOf("}", this.pos);
        if (end < 0) throw new PatternError("unclosedBrace", "", at);
        const name = this.src.slice(this.pos + 1, end).trim();
        if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new PatternError("badLexiconName", name, at);
        items.push({ kind: "lexicon", name });
        this.pos = end + 1;
      } else if (c === "." && this.src[this.pos + 1] === ".") {
        this.pos += 2;
        const digits = /^\d+/.exec(this.src.slice(this.pos))?.[0] ?? "";
        this.pos += digits.length;
        const max = digits === "" ? DEFAULT_GAP[this.language] : Number(digits);
        if (max < 1 || max > MAX_GAP) throw new PatternError("gapRange", String(max), at);
        items.push({ kind: "gap", max });
      } else if (c === "?") {
        const prev = items.pop();
        if (!prev || prev.kind === "sep" || prev.kind === "gap" || prev.kind === "optional") {
          throw new PatternError("misplacedOptional", "", at);
        }
        // "abc?" makes only the c optional, as in regular expressions.
        if (prev.kind === "literal" && [...prev.text].length > 1) {
          const chars = [...prev.text];
          items.push({ kind: "literal", text: chars.slice(0, -1).join("") });
          items.push({ kind: "optional", item: { kind: "literal", text: chars.at(-1) ?? "" } });
        } else items.push({ kind: "optional", item: prev });
        this.pos++;
      } else if (/\s/.test(c)) {
        while (/\s/.test(this.src[this.pos] ?? "")) this.pos++;
        if (this.language === "en" && items.length > 0) items.push({ kind: "sep" });
      } else if (c === "#") {
        this.pos++;
        items.push({ kind: "number" });
      } else if (c === "}") {
        throw new PatternError("unopenedBrace", "", at);
      } else {
        let ch = c;
        if (c === "\\") {
          ch = this.src[this.pos + 1] ?? "";
          if (ch === "") throw new PatternError("trailingEscape", "", at);
          this.pos++;
        }
        this.pos++;
        const last = items.at(-1);
        if (last?.kind === "literal") last.text += ch;
        else items.push({ kind: "literal", text: ch });
      }
    }
    // Inside brackets a trailing space is meant: "(am )?not" is "am not" or "not".
    if (this.depth === 0) while (items.at(-1)?.kind === "sep") items.pop();
    return items;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

interface CompileContext {
  language: Language;
  lexicons: Lexicons;
  /** Lexicons being expanded, to catch one that refers to itself. */
  stack: string[];
  cache: Map<string, string>;
  /** Trainers' patterns are read like the text; the built-in ones are written canonical. */
  canonicalise: boolean;
}

/** Expanded lexicons per word lists and language, shared by every pattern that uses them. */
const lexiconCache = new WeakMap<Lexicons, Map<string, Map<string, string>>>();

function cacheFor(lexicons: Lexicons, language: Language): Map<string, string> {
  let byLanguage = lexiconCache.get(lexicons);
  if (!byLanguage) {
    byLanguage = new Map();
    lexiconCache.set(lexicons, byLanguage);
  }
  let cache = byLanguage.get(language);
  if (!cache) {
    cache = new Map();
    byLanguage.set(language, cache);
  }
  return cache;
}

function gapSource(max: number, language: Language): string {
  const chars = language === "en" ? max * CHARS_PER_WORD : max;
  const body = `[^${SENTENCE_END}]{0,${chars}}?`;
  return language === "en" ? `(?:${EN_SEPARATOR}${body})?${EN_SEPARATOR}` : body;
}

function sequenceSource(items: Item[], ctx: CompileContext): string {
  let out = "";
  items.forEach((item, i) => {
    if (item.kind === "sep") {
      // In English a gap brings its own separators: drop the spaces written around it.
      if (items[i - 1]?.kind === "gap" || items[i + 1]?.kind === "gap") return;
      // "you (will)? have": the space before an optional word goes with the word.
      if (items[i + 1]?.kind === "optional" && items[i + 2]?.kind === "sep") return;
    }
    if (item.kind === "optional" && items[i - 1]?.kind === "sep" && items[i + 1]?.kind === "sep") {
      out += `(?:${EN_SEPARATOR}${itemSource(item.item, ctx)})?`;
      return;
    }
    out += itemSource(item, ctx);
  });
  return out;
}

function itemSource(item: Item, ctx: CompileContext): string {
  switch (item.kind) {
    case "literal":
      return escapeRe(item.text);
    case "sep":
      return EN_SEPARATOR;
    case "gap":
      return gapSource(item.max, ctx.language);
    case "optional":
      return `(?:${itemSource(item.item, ctx)})?`;
    case "group":
      return `(?:${item.alternatives.map((a) => sequenceSource(a, ctx)).join("|")})`;
    case "lexicon":
      return lexiconSource(item.name, ctx);
    case "number":
      return "[0-9零一二三四五六七八九十百千万两半]+";
  }
}

function lexiconSource(name: string, ctx: CompileContext): string {
  const cached = ctx.cache.get(name);
  if (cached !== undefined) return cached;
  const entries = ctx.lexicons[name];
  if (!entries) {
    const known = Object.keys(ctx.lexicons).sort().join(", ");
    throw new PatternError("unknownLexicon", `${name}: ${known}`);
  }
  if (ctx.stack.includes(name)) throw new PatternError("selfLexicon", name);
  ctx.stack.push(name);
  // Longest entries first, so "规定" does not stop the match before "规定制度".
  const sources = [...entries]
    .sort((a, b) => b.length - a.length)
    .map((e) => `(?:${bodySource(e, { ...ctx, canonicalise: false })})`);
  ctx.stack.pop();
  const source = `(?:${sources.join("|")})`;
  ctx.cache.set(name, source);
  return source;
}

function bodySource(pattern: string, ctx: CompileContext): string {
  // Patterns are read as the text is: 規定 is 规定, 您 is 你, "that's" is "that is".
  const source = ctx.canonicalise ? canonical(pattern.trim()).text : pattern.trim();
  const alts = new Parser(source, ctx.language).parse();
  return alts.map((a) => sequenceSource(a, ctx)).join("|");
}

/** Compiles one pattern to a regular expression over canonical text; throws PatternError. */
export function compilePattern(
  pattern: string,
  language: Language,
  lexicons: Lexicons,
  options: { builtIn?: boolean } = {},
): RegExp {
  const trimmed = pattern.trim();
  if (trimmed === "") throw new PatternError("empty");
  // Word lists are built in (canonical already), so their expansion is shared between patterns.
  const ctx: CompileContext = {
    language,
    lexicons,
    stack: [],
    cache: cacheFor(lexicons, language),
    canonicalise: options.builtIn !== true,
  };
  const body = bodySource(trimmed, ctx);
  const source = language === "en" ? `(?<![a-z0-9])(?:${body})(?![a-z0-9])` : `(?:${body})`;
  const re = new RegExp(source, "g");
  if (re.test("") || re.test(" ")) throw new PatternError("matchesEmpty");
  re.lastIndex = 0;
  return re;
}
