// Text normalisation shared by the phrase detectors and the quote check, so that a phrase or a
// quote written with full-width punctuation, other spacing or other case still matches what the
// trainee typed.

/** CJK punctuation that NFKC leaves alone but that judges and trainers swap for ASCII. */
const PUNCTUATION: Record<string, string> = {
  "。": ".",
  "、": ",",
  "“": '"',
  "”": '"',
  "‘": "'",
  "’": "'",
  "「": '"',
  "」": '"',
  "『": '"',
  "』": '"',
  "《": "<",
  "》": ">",
  "【": "[",
  "】": "]",
  "—": "-",
  "–": "-",
  "…": "...",
  "·": ".",
};
const PUNCTUATION_RE = new RegExp(`[${Object.keys(PUNCTUATION).join("")}]`, "g");

/**
 * For phrase detection: NFKC (full-width letters, digits and ？！，：; become half-width), lower
 * case, runs of whitespace collapsed to one space.
 */
export function normaliseForMatch(text: string): string {
  // Phone keyboards type curly apostrophes and quotes: "that’s the policy" must match "that's".
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * For quote verification: as normaliseForMatch, plus CJK punctuation mapped to ASCII and spaces
 * next to CJK characters removed (a judge re-typing Chinese often adds or drops them).
 */
export function normaliseForQuote(text: string): string {
  return normaliseForMatch(text)
    .replace(PUNCTUATION_RE, (c) => PUNCTUATION[c] ?? c)
    .replace(/ ?(\P{ASCII}) ?/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** The quote stripped of the wrapping a judge tends to add (quotation marks, ellipses, spaces). */
export function unwrapQuote(quote: string): string {
  return quote
    .trim()
    .replace(/^["'“”‘’「」『』\s]+|["'“”‘’「」『』\s]+$/g, "")
    .replace(/^(\.\.\.|…)+|(\.\.\.|…)+$/g, "")
    .trim();
}

/** Whether the phrase occurs in already-normalised text; ASCII words must match whole words. */
export function containsPhrase(normalisedText: string, phrase: string): boolean {
  const p = normaliseForMatch(phrase);
  if (p.length === 0) return false;
  const startsWord = /^[a-z0-9]/.test(p);
  const endsWord = /[a-z0-9]$/.test(p);
  if (!startsWord && !endsWord) return normalisedText.includes(p);
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${startsWord ? "(?<![a-z0-9])" : ""}${escaped}${endsWord ? "(?![a-z0-9])" : ""}`);
  return re.test(normalisedText);
}
