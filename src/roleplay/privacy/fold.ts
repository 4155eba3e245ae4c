// A searchable copy of the trainee's text: full-width and compatibility forms folded to ASCII
// (NFKC), Chinese digit characters turned into digits, zero-width characters dropped. Every unit
// of the copy remembers which span of the original it came from, so a match found in the copy masks
// exactly the right characters of the original, whatever the folding did to lengths.

// 小写, 大写 and spoken forms (幺 1, 两 2, 拐 7, 勾 9, 洞 0), in simplified and traditional script. 十/百/千 are left alone: they
// make amounts ("一千二百"), never card or phone numbers, which are read digit by digit.
const CHINESE_DIGITS: Record<string, string> = {
  〇: "0",
  零: "0",
  洞: "0",
  一: "1",
  幺: "1",
  壹: "1",
  二: "2",
  两: "2",
  兩: "2",
  贰: "2",
  貳: "2",
  三: "3",
  叁: "3",
  參: "3",
  四: "4",
  肆: "4",
  五: "5",
  伍: "5",
  六: "6",
  陆: "6",
  陸: "6",
  七: "7",
  拐: "7",
  柒: "7",
  八: "8",
  捌: "8",
  九: "9",
  勾: "9",
  玖: "9",
};

// Dashes and dots NFKC leaves as they are, folded to one spelling so patterns stay short.
const EXTRA: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u2500": "-",
  "\u30fc": "-",
  "\u00b7": "·",
  "\u30fb": "·",
  "\u2022": "·",
  "\u2219": "·",
  "\u2027": "·",
  "\uff61": "。",
};

const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

export interface Folded {
  /** The folded copy. */
  text: string;
  /** The same, with Chinese digit characters kept (same length): names contain 三 or 五. */
  plain: string;
  /** For each unit of `text`, where its source starts in the original. */
  from: number[];
  /** For each unit of `text`, where its source ends in the original. */
  to: number[];
}

export function fold(original: string): Folded {
  let text = "";
  let plain = "";
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  while (i < original.length) {
    const cp = original.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const ch = original.slice(i, i + width);
    let out: string;
    if (cp < 0x80) out = ch;
    else if (INVISIBLE.test(ch)) out = "";
    else out = CHINESE_DIGITS[ch] ?? EXTRA[ch] ?? ch.normalize("NFKC");
    out = EXTRA[out] ?? out;
    for (let k = 0; k < out.length; k++) {
      from.push(i);
      to.push(i + width);
    }
    text += out;
    plain += CHINESE_DIGITS[ch] !== undefined ? ch : out;
    i += width;
  }
  return { text, plain, from, to };
}

/** Lone surrogates (invalid UTF-16, e.g. half an emoji cut by a client) become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
