// Text from the trainee or the model goes to a terminal, which obeys control characters: an
// escape sequence can recolour, move the cursor, retitle the window or rewrite what was already
// shown, and a bidi override can make a line read differently from what it says. Only newlines
// and printable text pass.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC strings, and two-byte escapes.
const ESCAPE_SEQUENCE =
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[ -/]*[0-~]?)/g;
// C0 except newline (tab becomes a space first), DEL and C1 (0x80-0x9f, incl. the 8-bit CSI).
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
// Embedding, override and isolate controls, and the invisible direction marks.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** The text with every terminal control neutralised: what is printed is what was said. */
export function printable(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROL, "")
    .replace(BIDI, "");
}
