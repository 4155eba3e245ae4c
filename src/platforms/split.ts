// Splits a long message for platforms with a length limit (Telegram 4096, Discord 2000), at the
// latest paragraph or sentence boundary that fits, so no part exceeds the limit and no sentence
// is cut in the middle unless a single sentence is longer than the limit itself.

// Sentence ends in Chinese and English, then line breaks; the boundary is kept with the left part.
const BOUNDARIES: RegExp[] = [
  /\n\s*\n/g,
  /\n/g,
  /[。！？!?…]+["'”’」』）)]*/g,
  /[.;；:：]["'”’)]*\s/g,
  /[，,、]\s?/g,
  /\s+/g,
];

/** Length in UTF-16 code units, which is what both platforms count. */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError("limit must be at least 2");
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
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
