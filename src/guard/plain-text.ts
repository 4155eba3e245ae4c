// Undoes the disguises a trainee can put on a steering attempt, so the detector reads what a model
// would read: look-alike letters from other alphabets, invisible characters, letters spaced out
// one by one, full-width and decorated forms, traditional characters.
import { Converter } from "opencc-js/t2cn";

// Cyrillic and Greek letters that render like Latin ones (lower case after NFKC + toLowerCase).
const CONFUSABLE: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  і: "i",
  ї: "i",
  ј: "j",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  п: "n",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  һ: "h",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ӏ: "l",
  ɡ: "g",
  ɑ: "a",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  γ: "y",
  ω: "w",
  ς: "s",
  μ: "u",
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLE).join("")}]`, "g");

// Digits and signs standing in for letters inside a word ("ign0re", "1gnore", "$ystem").
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };
// A word of letters with such stand-ins among them ("0r1g1nal"); a number alone stays a number.
const LEET_WORD_RE = /[a-z0-9@$]*[a-z][a-z0-9@$]*/g;
const LEET_RE = /[013457@$]/g;

// Invisible characters: format controls (zero-width space/joiners, bidi marks, soft hyphen, BOM),
// the combining grapheme joiner, variation selectors and Hangul fillers.
const INVISIBLE_RE = /\p{Cf}|\u034F|[\uFE00-\uFE0F\u115F\u1160\u3164\uFFA0]/gu;

// CJK brackets and marks that NFKC keeps, mapped to the ASCII forms the patterns use.
const CJK_MARKS: Record<string, string> = {
  "【": "[",
  "】": "]",
  "〔": "[",
  "〕": "]",
  "〖": "[",
  "〗": "]",
  "「": "[",
  "」": "]",
  "『": "[",
  "』": "]",
  "《": "<",
  "》": ">",
  "〈": "<",
  "〉": ">",
  "。": ".",
  "、": ",",
  "“": '"',
  "”": '"',
  "‘": "'",
  "’": "'",
  "—": "-",
  "–": "-",
  "―": "-",
  "…": "...",
  "·": ".",
  "•": ".",
};
const CJK_MARKS_RE = new RegExp(`[${Object.keys(CJK_MARKS).join("")}]`, "g");

// A run of at least three single letters held apart by separators: "i g n o r e", "s.y.s.t.e.m".
const SPACED_LETTERS_RE = /(?<![\p{L}\p{N}])\p{L}(?:(?:[ _\-*|/\\~+]{1,3}|\.)\p{L}(?![\p{L}\p{N}])){2,}/gu;
// Separators between two Chinese characters ("忽 略", "忽.略", "忽-略").
const BETWEEN_HAN_RE = /(?<=\p{Script=Han})[ ._\-*|/\\~+]+(?=\p{Script=Han})/gu;
const HAN_RE = /\p{Script=Han}/u;

let toSimplified: ((text: string) => string) | null = null;

/** Traditional characters to simplified ones (the converter is built on first use). */
function simplified(text: string): string {
  if (!HAN_RE.test(text)) return text;
  const convert = toSimplified ?? Converter({ from: "t", to: "cn" });
  toSimplified = convert;
  return convert(text);
}

/**
 * The text as the detector reads it: invisible characters dropped, NFKC (full-width and
 * mathematical letters become plain), lower case, look-alike letters mapped to Latin, digits
 * inside words read as letters, spaced-out letters joined, traditional characters simplified,
 * CJK brackets as ASCII, whitespace collapsed. Only for matching: never shown or stored.
 */
export function plainText(text: string): string {
  let t = text.replace(INVISIBLE_RE, "").normalize("NFKC").toLowerCase();
  t = t.replace(CONFUSABLE_RE, (c) => CONFUSABLE[c] ?? c);
  t = t.replace(LEET_WORD_RE, (word) => word.replace(LEET_RE, (c) => LEET[c] ?? c));
  // Separators are dropped before CJK full stops become ".", which must keep ending sentences.
  t = simplified(t).replace(BETWEEN_HAN_RE, "");
  t = t.replace(CJK_MARKS_RE, (c) => CJK_MARKS[c] ?? c);
  t = t.replace(SPACED_LETTERS_RE, (run) => run.replace(/[ ._\-*|/\\~+]/g, ""));
  return t
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();
}
