// Splits a long message for platforms with a length limit (Telegram 4096, Discord 2000 UTF-16
// units; WeCom-like platforms count UTF-8 bytes), at the latest paragraph or sentence boundary that
// fits, so no part exceeds the limit and no sentence is cut in the middle unless a single sentence
// is longer than the limit itself.
import { type LengthUnit, measure } from "./contract.ts";

// Sentence ends in Chinese and English, then line breaks; the boundary is kept with the left part.
const BOUNDARIES: RegExp[] = [
  /\n\s*\n/g,
  /\n/g,
  /[。！？!?…]+["'”’」』）)]*/g,
  /[.;；:：]["'”’)]*\s/g,
  /[，,、]\s?/g,
  /\s+/g,
];

/** Parts of at most `limit` in the platform's unit (default UTF-16 units, as Telegram and Discord count). */
export function splitMessage(text: string, limit: number, unit: LengthUnit = "utf16"): string[] {
  if (limit < (unit === "utf8" ? 4 : 2)) throw new RangeError("limit must hold at least one character");
  const parts: string[] = [];
  let rest = text.trim();
  while (measure(rest, unit) > limit) {
    const cut = findCut(rest, fitting(rest, limit, unit));
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** How many UTF-16 units of the text's start fit in `limit` of the unit (never half a character). */
function fitting(text: string, limit: number, unit: LengthUnit): number {
  if (unit === "utf16") return limit;
  let units = 0;
  let bytes = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch, "utf8");
    if (bytes > limit) break;
    units += ch.length;
  }
  return units;
}

function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit);
  for (const pattern of BOUNDARIES) {
    let best = -1;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(window); m !== null; m = pattern.exec(window)) {
      const end = m.index + m[0].length;
      // A cut in the first quarter would make a tiny part: look for a coarser boundary instead.
      if (end <= limit && end > limit / 4) best = end;
      if (m[0].length === 0) pattern.lastIndex++;
    }
    if (best > 0) return best;
  }
  // No boundary: a hard cut, never inside a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
