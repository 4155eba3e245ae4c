// The text the detectors read: one canonical form for the many ways people write the same words
// (full-width, traditional characters, Cantonese, 您 or 你, "don't" or "do not"), with a map back
// to the trainee's own characters so every hit can quote what was really typed.
import { createRequire } from "node:module";

/** One character of the canonical text and the span of the original it came from. */
interface Unit {
  ch: string;
  from: number;
  to: number;
}

export interface CanonicalText {
  /** The original text, as typed. */
  original: string;
  /** The canonical form the patterns run on. */
  text: string;
  /** The original words behind a span of the canonical text. */
  originalSpan(start: number, end: number): string;
}

// Hong Kong and Taiwan variants differ in a few characters (著/着); running both covers either.
// Built on first use: the dictionaries take a moment, and most commands never read Chinese text.
// Loaded on first use too (a synchronous require), so commands that never read text skip it.
let converters: { fromHongKong: (s: string) => string; fromTaiwan: (s: string) => string } | null = null;
function toSimplified() {
  if (!converters) {
    const OpenCC = createRequire(import.meta.url)("opencc-js") as typeof import("opencc-js");
    converters = {
      fromHongKong: OpenCC.Converter({ from: "hk", to: "cn" }),
      fromTaiwan: OpenCC.Converter({ from: "tw", to: "cn" }),
    };
  }
  return converters;
}

/**
 * Cantonese written forms and their Mandarin equivalents, longest first. Applied after the
 * traditional-to-simplified step, so each entry is written in simplified characters.
 */
const CANTONESE: Array<[string, string]> = [
  ["唔好意思", "不好意思"],
  ["对唔住", "对不起"],
  ["对唔起", "对不起"],
  ["唔关我事", "不关我事"],
  ["唔紧要", "没关系"],
  ["唔该", "谢谢"],
  ["唔使", "不用"],
  ["唔驶", "不用"],
  ["唔知", "不知道"],
  ["唔系", "不是"],
  ["唔得", "不行"],
  ["唔好", "不要"],
  ["唔", "不"],
  ["冇得", "没得"],
  ["冇", "没有"],
  ["乜嘢", "什么"],
  ["乜", "什么"],
  ["咩", "什么"],
  ["点解", "为什么"],
  ["点样", "怎么样"],
  ["边个", "谁"],
  ["边度", "哪里"],
  ["几时", "什么时候"],
  ["而家", "现在"],
  ["听日", "明天"],
  ["琴日", "昨天"],
  ["寻日", "昨天"],
  ["今日", "今天"],
  ["搞掂", "搞定"],
  ["下昼", "下午"],
  ["点算", "怎么办"],
  ["覆你", "回复你"],
  ["噉样", "这样"],
  ["呢个", "这个"],
  ["呢度", "这里"],
  ["呢部", "这部"],
  ["呢台", "这台"],
  ["呢啲", "这些"],
  ["嗰个", "那个"],
  ["嗰度", "那里"],
  ["嗰部", "那部"],
  ["嗰", "那"],
  ["佢哋", "他们"],
  ["你哋", "你们"],
  ["我哋", "我们"],
  ["佢话", "他说"],
  ["佢", "他"],
  ["哋", "们"],
  ["嘅", "的"],
  ["咗", "了"],
  ["啲", "些"],
  ["喺", "在"],
  ["俾", "给"],
  ["畀", "给"],
  ["嚟", "来"],
  ["睇", "看"],
  ["揾", "找"],
  ["攞", "拿"],
  ["谂", "想"],
  ["噉", "这样"],
  ["咁", "这么"],
  ["㗎", "的"],
  ["嘢", "东西"],
  ["妳", "你"],
  ["您", "你"],
];

/** 系 stands for 是 in Cantonese (係), except inside the words where it means "system" or "tie". */
const CANTONESE_HAI = /(?<![关联体派直维世谱水])系(?![统列数里好上着])/g;

const ENGLISH_CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/g, "cannot"],
  [/\bwon't\b/g, "will not"],
  [/\bshan't\b/g, "shall not"],
  [/\bain't\b/g, "is not"],
  [/n't\b/g, " not"],
  [/\bi'm\b/g, "i am"],
  [/\blet's\b/g, "let us"],
  [/\b(it|that|there|here|what|he|she|who|this|where)'s\b/g, "$1 is"],
  [/'re\b/g, " are"],
  [/'ve\b/g, " have"],
  [/'ll\b/g, " will"],
  [/\b(i|you|we|they|he|she|it|that)'d\b/g, "$1 would"],
];

function unitsOf(text: string): Unit[] {
  const out: Unit[] = [];
  let i = 0;
  for (const ch of text) {
    out.push({ ch, from: i, to: i + ch.length });
    i += ch.length;
  }
  return out;
}

/** Applies a per-character conversion; a character that becomes several keeps its source span. */
function mapChars(units: Unit[], convert: (ch: string) => string): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    for (const c of convert(u.ch)) out.push({ ch: c, from: u.from, to: u.to });
  }
  return out;
}

/** Converts the whole string at once (context matters to OpenCC), per character when lengths differ. */
function mapWhole(units: Unit[], convert: (s: string) => string): Unit[] {
  const joined = units.map((u) => u.ch).join("");
  const converted = [...convert(joined)];
  if (converted.length === units.length) {
    return units.map((u, i) => ({ ...u, ch: converted[i] ?? u.ch }));
  }
  return mapChars(units, convert);
}

/** Replaces every match of `re` with `to`; the new characters take the span of what they replace. */
function rewrite(units: Unit[], re: RegExp, to: string): Unit[] {
  const text = units.map((u) => u.ch).join("");
  // Code-unit offsets of `text` to unit indexes (a unit may be a surrogate pair).
  const indexAt: number[] = [];
  units.forEach((u, i) => {
    for (let k = 0; k < u.ch.length; k++) indexAt.push(i);
  });
  indexAt.push(units.length);
  const out: Unit[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const start = indexAt[m.index] ?? units.length;
    const end = indexAt[m.index + m[0].length] ?? units.length;
    out.push(...units.slice(last, start));
    const from = units[start]?.from ?? 0;
    const toPos = units[end - 1]?.to ?? from;
    const replacement = to.includes("$") ? m[0].replace(new RegExp(re.source, re.flags.replace("g", "")), to) : to;
    for (const c of replacement) out.push({ ch: c, from, to: toPos });
    last = end;
  }
  out.push(...units.slice(last));
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function replaceCantonese(units: Unit[]): Unit[] {
  let out = units;
  let text = out.map((u) => u.ch).join("");
  // One pass per entry, longest forms first (唔好意思 before 唔).
  for (const [from, to] of CANTONESE) {
    if (!text.includes(from)) continue;
    out = rewrite(out, new RegExp(escapeRe(from), "g"), to);
    text = out.map((u) => u.ch).join("");
  }
  return rewrite(out, CANTONESE_HAI, "是");
}

/** Chinese script in the text (then traditional and Cantonese forms are worth converting). */
const HAS_HAN = /\p{Script=Han}/u;

/**
 * The canonical form: NFKC (full-width to half-width), lower case, curly quotes straightened,
 * traditional to simplified, Cantonese to Mandarin, 您 as 你, English contractions spelt out.
 */
export function canonical(original: string): CanonicalText {
  let units = mapChars(unitsOf(original), (c) =>
    c.charCodeAt(0) < 128
      ? c.toLowerCase()
      : c
          .normalize("NFKC")
          .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
          .toLowerCase(),
  );
  if (HAS_HAN.test(original)) {
    const { fromHongKong, fromTaiwan } = toSimplified();
    units = mapWhole(units, fromHongKong);
    units = mapWhole(units, fromTaiwan);
    units = replaceCantonese(units);
  }
  if (/'/.test(units.map((u) => u.ch).join(""))) {
    for (const [re, to] of ENGLISH_CONTRACTIONS) units = rewrite(units, re, to);
  }
  // Only runs and other spacing change: a single space stays as typed.
  units = rewrite(units, /\s{2,}|[^\S ]/g, " ");
  const text = units.map((u) => u.ch).join("");
  const indexAt: number[] = [];
  units.forEach((u, i) => {
    for (let k = 0; k < u.ch.length; k++) indexAt.push(i);
  });
  return {
    original,
    text,
    originalSpan(start: number, end: number): string {
      if (end <= start) return "";
      const first = units[indexAt[start] ?? 0];
      const last = units[indexAt[end - 1] ?? units.length - 1];
      if (!first || !last) return "";
      return original.slice(first.from, last.to).trim();
    },
  };
}
