// A message that shows nothing: only spaces (any Unicode space, the ideographic one included),
// line breaks, zero-width and other invisible format characters, or fillers that render empty.
// Such a message is not a turn: the customer would be asked to answer nothing.

/** Unicode spaces and separators, controls, format characters (ZWSP, ZWJ, BOM, bidi marks…) and blank fillers. */
const INVISIBLE = /[\s\p{Z}\p{Cc}\p{Cf}\u115F\u1160\u2800\u3164\uFFA0\u034F\u180E]/gu;

export function isBlankText(text: string): boolean {
  return text.replace(INVISIBLE, "") === "";
}
