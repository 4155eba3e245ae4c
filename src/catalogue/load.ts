// Reads persona and rubric files, validates them, and reports every problem with the file, the
// line (where YAML knows it) and the field, in plain words. Good files load even when others fail.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isMap, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { type Persona, PersonaFile, personaProblems } from "../domain/persona.ts";
import { type Rubric, RubricFile, rubricProblems } from "../domain/rubric.ts";

export const MAX_FILE_BYTES = 256 * 1024;

export interface Problem {
  /** Path of the file, relative to the folder it was loaded from. */
  file: string;
  line: number | null;
  /** The field, as a path like `emotion.escalation[0].id`, or null for the whole file. */
  field: string | null;
  message: string;
  kind: "persona" | "rubric";
}

export interface LoadedFile<T> {
  file: string;
  value: T | null;
  problems: Problem[];
}

type Kind = "persona" | "rubric";

/** Lists the `.yaml`/`.yml` files of a folder (not recursive), sorted for stable output. */
export function listYamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => e.name)
    .sort();
}

export function loadPersonaFile(dir: string, name: string): LoadedFile<Persona> {
  return loadFile(dir, name, "persona", PersonaFile, personaProblems, (value, hash, file) => ({
    ...value,
    hash,
    file,
  }));
}

export function loadRubricFile(dir: string, name: string): LoadedFile<Rubric> {
  return loadFile(dir, name, "rubric", RubricFile, rubricProblems, (value, hash, file) => ({ ...value, hash, file }));
}

function loadFile<S extends z.ZodType, T>(
  dir: string,
  name: string,
  kind: Kind,
  schema: S,
  crossChecks: (v: z.infer<S>) => Array<[string, string]>,
  build: (v: z.infer<S>, hash: string, file: string) => T,
): LoadedFile<T> {
  const full = path.join(dir, name);
  const problem = (message: string, line: number | null = null, field: string | null = null): LoadedFile<T> => ({
    file: name,
    value: null,
    problems: [{ file: name, line, field, message, kind }],
  });

  let bytes: Buffer;
  try {
    const stat = fs.statSync(full);
    if (stat.size > MAX_FILE_BYTES) {
      return problem(`the file is ${Math.round(stat.size / 1024)} KB; the limit is 256 KB. Split it or shorten it.`);
    }
    bytes = fs.readFileSync(full);
  } catch (e) {
    return problem(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return problem('the file starts with a byte-order mark (BOM). Save it as "UTF-8" without BOM.', 1);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const line = firstInvalidUtf8Line(bytes);
    return problem("the file is not valid UTF-8. Save it with the UTF-8 encoding (not GBK or UTF-16).", line);
  }
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) {
    return problem(`the file is empty. Write a ${kind} in it, or delete it.`);
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      file: name,
      value: null,
      problems: doc.errors.map((e) => ({
        file: name,
        line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line,
        field: null,
        message: `YAML syntax error: ${plainYamlError(e.message)}`,
        kind,
      })),
    };
  }
  const data = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return problem(`the file must hold a ${kind} (key: value lines), not a list or a single value.`, 1);
  }

  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return {
      file: name,
      value: null,
      problems: parsed.error.issues.flatMap((issue) => describeIssue(issue, doc, lines, name, kind)),
    };
  }
  const extra = crossChecks(parsed.data);
  if (extra.length > 0) {
    return {
      file: name,
      value: null,
      problems: extra.map(([field, message]) => ({
        file: name,
        line: lineOf(doc, lines, fieldToPath(field)),
        field,
        message,
        kind,
      })),
    };
  }
  const hash = contentHash(parsed.data);
  return { file: name, value: build(parsed.data, hash, name), problems: [] };
}

/** sha256 of the normalised content (key order and formatting do not change it). */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && k !== "$schema")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  lines: LineCounter,
  file: string,
  kind: Kind,
): Problem[] {
  const at = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      file,
      line: keyLine(doc, lines, at, key),
      field: formatPath([...at, key]),
      message: `unknown field "${key}"${suggest(key, knownKeys(kind, at))}. Check the spelling; fields are listed in personas/README.md.`,
      kind,
    }));
  }
  const field = formatPath(at);
  const node = doc.getIn(at, true) as Node | undefined;
  const missing = node === undefined;
  let message: string;
  if (missing) {
    message = `the required field "${field}" is missing`;
  } else if (issue.code === "invalid_type") {
    message = `"${field}" should be ${typeName(issue.expected)}`;
  } else if (issue.code === "invalid_value") {
    message = `"${field}" must be one of: ${issue.values.map(String).join(", ")}`;
  } else {
    message = `"${field}": ${issue.message}`;
  }
  // A missing field has no line of its own: point at its parent.
  const line = missing ? lineOf(doc, lines, at.slice(0, -1)) : lineOf(doc, lines, at);
  return [{ file, line, field, message, kind }];
}

function typeName(t: string): string {
  switch (t) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "array":
      return "a list (lines starting with “- ”)";
    case "object":
      return "a group of fields (key: value lines, indented)";
    case "boolean":
      return "true or false";
    default:
      return t;
  }
}

function lineOf(doc: Document, lines: LineCounter, at: Array<string | number>): number | null {
  for (let n = at.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true)) as Node | null | undefined;
    const start = node?.range?.[0];
    if (typeof start === "number") return lines.linePos(start).line;
  }
  return null;
}

function keyLine(doc: Document, lines: LineCounter, parent: Array<string | number>, key: string): number | null {
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

function formatPath(at: Array<string | number>): string {
  let out = "";
  for (const p of at) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

function fieldToPath(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

function knownKeys(kind: Kind, at: Array<string | number>): string[] {
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
  return s ? Object.keys(s) : [];
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

function suggest(key: string, known: string[]): string {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a: string, b: string): number {
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

function plainYamlError(message: string): string {
  // The yaml package's first line is the useful one ("Nested mappings are not allowed ...").
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

function firstInvalidUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}
