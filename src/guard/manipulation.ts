// Attempts to steer the customer model or the judge, recognised by family and by structure (not by
// a list of sentences), in English and Chinese (simplified and traditional), through the disguises
// plainText undoes. The engine refuses to let a flagged turn calm the customer; the evaluation
// will not pass a flagged session until a trainer clears it. Each family's patterns are in
// patterns/; the order below is the order hits are reported in.
import type { ManipulationHit, Pattern } from "./pattern.ts";
import { FAKE_BOUNDARIES } from "./patterns/boundaries.ts";
import { IGNORE_INSTRUCTIONS } from "./patterns/instructions.ts";
import { JUDGE_STEERING } from "./patterns/judge.ts";
import { REVEAL_PROMPT } from "./patterns/reveal.ts";
import { ROLE_SWITCHES } from "./patterns/roles.ts";
import { STATE_OVERRIDES } from "./patterns/state.ts";
import { plainText } from "./plain-text.ts";

export type { ManipulationHit, ManipulationKind } from "./pattern.ts";

const PATTERNS: Pattern[] = [
  ...IGNORE_INSTRUCTIONS,
  ...ROLE_SWITCHES,
  ...JUDGE_STEERING,
  ...STATE_OVERRIDES,
  ...FAKE_BOUNDARIES,
  ...REVEAL_PROMPT,
];

/** The attempts to steer the customer or the judge in one message (raw text), one hit per kind. */
export function manipulationIn(text: string): ManipulationHit[] {
  const plain = plainText(text);
  const out: ManipulationHit[] = [];
  for (const pattern of PATTERNS) {
    if (out.some((o) => o.kind === pattern.kind)) continue;
    const m = pattern.re.exec(plain);
    if (m) out.push({ kind: pattern.kind, match: m[0].trim() });
  }
  return out;
}

/** Whether a message looks like an attempt to steer the customer or the judge. */
export function isManipulation(text: string): boolean {
  return manipulationIn(text).length > 0;
}
