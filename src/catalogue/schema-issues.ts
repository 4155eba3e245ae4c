// Turns zod's findings on a persona or rubric file into problems a trainer can act on: the field,
// the line in the file, and words from the message table (with a did-you-mean where one fits).
import type { Document, LineCounter, Node } from "yaml";
import { isMap } from "yaml";
import type { z } from "zod";
import { PersonaFile } from "../domain/persona.ts";
import { RubricFile } from "../domain/rubric.ts";
import { type ProblemText, say } from "./messages.ts";

export type Kind = "persona" | "rubric";
export type PathPart = string | number;

export interface FoundProblem {
  line: number | null;
  field: string | null;
  text: ProblemText;
}

export function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, kind: Kind): FoundProblem[] {
  const at = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") {
    // Suggest only fields not written yet: "escalation_note" next to "escalation" is no typo of it.
    const absent = knownKeys(kind, at).filter((k) => !doc.hasIn([...at, k]));
    return issue.keys.map((key) => ({
      line: keyLine(doc, lines, at, key),
      field: formatPath([...at, key]),
      text: say("unknownField", key, closest(key, absent)),
    }));
  }
  const field = formatPath(at);
  const node = doc.getIn(at, true) as Node | undefined;
  if (node === undefined) {
    // A missing field has no line of its own: point at its parent.
    return [{ line: lineOf(doc, lines, at.slice(0, -1)), field, text: say("missingField", field) }];
  }
  const line = lineOf(doc, lines, at);
  const value = doc.getIn(at);
  return [{ line, field, text: wordsForIssue(issue, field, value) }];
}

function wordsForIssue(issue: z.core.$ZodIssue, field: string, value: unknown): ProblemText {
  switch (issue.code) {
    case "invalid_type":
      return say("wrongType", field, issue.expected);
    case "invalid_value": {
      const allowed = issue.values.map(String);
      return say("notOneOf", field, String(value), allowed, closest(String(value), allowed));
    }
    case "invalid_union": {
      // A field that takes a word or a number (difficulty: hard or 3): name the words.
      const allowed = issue.errors.flat().flatMap((e) => (e.code === "invalid_value" ? e.values.map(String) : []));
      if (allowed.length > 0) return say("notOneOf", field, String(value), allowed, closest(String(value), allowed));
      return say("invalid", field, issue.message);
    }
    case "invalid_format":
      if (issue.format === "url") return say("httpsUrl", field);
      if (issue.format === "regex") return say("badFormat", field, slug(String(value)));
      return say("invalid", field, issue.message);
    case "invalid_key":
      // The only map with free keys is a criterion's levels: its keys are scores.
      return say("scoreKey", field);
    case "too_small":
      if (issue.origin === "string") return say("emptyText", field);
      if (issue.origin === "array") return say("tooFew", field, Number(issue.minimum));
      return say("outOfRange", field, Number(issue.minimum), null);
    case "too_big":
      if (issue.origin === "number") return say("outOfRange", field, null, Number(issue.maximum));
      return say("invalid", field, issue.message);
    default:
      return say("invalid", field, issue.message);
  }
}

/** What an id would look like written the allowed way (for the fix). */
function slug(value: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s === "" ? "my-case" : s;
}

export function lineOf(doc: Document, lines: LineCounter, at: PathPart[]): number | null {
  for (let n = at.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true)) as Node | null | undefined;
    const start = node?.range?.[0];
    if (typeof start === "number") return lines.linePos(start).line;
  }
  return null;
}

export function keyLine(doc: Document, lines: LineCounter, parent: PathPart[], key: string): number | null {
  const node = (parent.length === 0 ? doc.contents : doc.getIn(parent, true)) as Node | null | undefined;
  if (node && isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      if (k && "value" in k && (k as { value: unknown }).value === key && k.range)
        return lines.linePos(k.range[0]).line;
    }
  }
  return lineOf(doc, lines, parent);
}

export function formatPath(at: PathPart[]): string {
  let out = "";
  for (const p of at) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

export function fieldToPath(field: string): PathPart[] {
  const out: PathPart[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** The field names the schema allows at a path (empty where the path is not a group of fields). */
export function knownKeys(kind: Kind, at: PathPart[]): string[] {
  let shape: z.ZodType = kind === "persona" ? PersonaFile : RubricFile;
  for (const p of at) {
    shape = unwrap(shape);
    if (typeof p === "number") {
      const def = (shape as unknown as { def?: { element?: z.ZodType } }).def;
      if (def?.element) shape = def.element;
      else return [];
    } else {
      const s = (shape as unknown as { shape?: Record<string, z.ZodType> }).shape;
      const next = s?.[p];
      if (!next) return [];
      shape = next;
    }
  }
  const s = (unwrap(shape) as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return s ? Object.keys(s).filter((k) => k !== "$schema") : [];
}

function unwrap(t: z.ZodType): z.ZodType {
  let cur = t as unknown as { def?: { innerType?: z.ZodType; in?: z.ZodType; type?: string } };
  for (let i = 0; i < 5 && cur.def; i++) {
    const inner = cur.def.innerType ?? cur.def.in;
    if (!inner) break;
    cur = inner as unknown as typeof cur;
  }
  return cur as unknown as z.ZodType;
}

/**
 * The known word a typo most likely meant: a few letters apart (case aside), or the start of it
 * ("zh" for "zh-CN"); null when nothing is close enough to be a fair guess.
 */
export function closest(word: string, known: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best !== null && bestD <= Math.max(2, Math.floor(word.length / 3))) return best;
  if (w.length >= 2) {
    const prefixed = known.filter((k) => k.toLowerCase().startsWith(w));
    if (prefixed.length === 1) return prefixed[0] ?? null;
  }
  return null;
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] ?? 0;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] ?? 0;
      dp[j] = Math.min((dp[j] ?? 0) + 1, (dp[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] ?? 0;
}
