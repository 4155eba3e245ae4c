// Undoes the disguises a trainee can put on a steering attempt, so the detector reads what a model
// would read: look-alike letters from other alphabets, invisible characters, letters spaced out
// one by one, full-width and decorated forms, traditional characters.
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

// Traditional forms of every character the detector's Chinese patterns use, as pairs
// (traditional, simplified). Only these matter for matching, and a table costs nothing at start-up,
// where a full converter takes a third of a second to load. tests/unit/manipulation.test.ts checks
// it against OpenCC for every character in the patterns and their vocabulary.
const TRADITIONAL_PAIRS =
  "視视無无記记別别會会拋抛開开從从聽听棄弃丟丢過过蓋盖繞绕違违統统剛刚來来裡里裏里給给寫写詞词語语設设規规則则約约劇剧務务預预臺台腳脚證证號号碼码資资單单書书額额櫃柜員员銀银職职經经機机評评發发訓训師师審审閱阅閲阅滿满氣气鍾钟鐘钟價价績绩數数級级優优備备戶户顧顾導导緒绪復复狀状態态說说説说聲声隱隐為为爲为現现後后須须應应該该變变當当換换個个請请裝装脫脱離离結结這这戲戏擬拟們们對对調调實实話话項项負负責责訴诉親亲愛爱著着幫帮讓让學学順顺關关獲获總总謝谢終终於于徹彻嗎吗麼么沒没認认馬马覺觉靜静將将場场練练習习並并顯显標标錄录輸输內内畢毕觸触條条註注複复廢废據据權权";
const TRADITIONAL = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL_PAIRS.length; i += 2) {
  TRADITIONAL.set(TRADITIONAL_PAIRS[i] as string, TRADITIONAL_PAIRS[i + 1] as string);
}
const TRADITIONAL_RE = new RegExp(`[${[...TRADITIONAL.keys()].join("")}]`, "gu");

/** Traditional characters of the detector's vocabulary to simplified ones. */
function simplified(text: string): string {
  return text.replace(TRADITIONAL_RE, (c) => TRADITIONAL.get(c) ?? c);
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
