// Reads persona and rubric files, validates them, and reports every problem with the file, the
// line (where YAML knows it), the field and a fix, in the reader's language (see messages.ts).
// Good files load even when others fail.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { type FieldCheck, KNOWN_ARCHETYPES, type Persona, PersonaFile, personaProblems } from "../domain/persona.ts";
import { type Rubric, RubricFile, rubricProblems } from "../domain/rubric.ts";
import { type PatternFault, patternProblems } from "../evaluation/detectors/validate.ts";
import { type ProblemText, problemLayout, say, wordsFor } from "./messages.ts";
import {
  closest,
  describeIssue,
  type FoundProblem,
  fieldToPath,
  formatPath,
  type Kind,
  knownKeys,
  lineOf,
} from "./schema-issues.ts";
import { firstSyntaxProblem, swallowedKeys } from "./yaml-mistakes.ts";

export const MAX_FILE_BYTES = 256 * 1024;

export interface Problem {
  /** Path of the file, relative to the folder it was loaded from. */
  file: string;
  line: number | null;
  /** The field, as a path like `emotion.escalation[0].id`, or null for the whole file. */
  field: string | null;
  /** What is wrong and the fix, as data: `formatProblem` words it in the reader's language. */
  text: ProblemText;
  /** The same in English, for logs. */
  message: string;
  kind: Kind;
}

export interface LoadedFile<T> {
  file: string;
  value: T | null;
  problems: Problem[];
}

/** Builds a problem; the English `message` is derived so logs stay readable. */
export function problemAt(
  file: string,
  kind: Kind,
  line: number | null,
  field: string | null,
  text: ProblemText,
): Problem {
  const words = wordsFor(text, "en");
  return { file, line, field, text, kind, message: `${words.problem}. Fix: ${words.fix}.` };
}

/** `file:line: [field] problem. Fix: ...` in the reader's language. */
export function formatProblem(p: Problem, language: "en" | "zh-CN" = "en"): string {
  const where = p.line !== null ? `${p.file}:${p.line}` : p.file;
  const words = wordsFor(p.text, language);
  return problemLayout(language).line(where, p.field, words.problem, words.fix);
}

/** Lists the `.yaml`/`.yml` files of a folder (not recursive), sorted for stable output. */
export function listYamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => e.name)
    .sort();
}

export function loadPersonaFile(dir: string, name: string): LoadedFile<Persona> {
  return loadFile(dir, name, "persona", PersonaFile, personaChecks(name), (value, hash, file) => ({
    ...value,
    hash,
    file,
  }));
}

export function loadRubricFile(dir: string, name: string): LoadedFile<Rubric> {
  return loadFile(
    dir,
    name,
    "rubric",
    RubricFile,
    (r) => [...rubricProblems(r).map(fieldCheckWords), ...patternProblems(r).map(patternWords)],
    (value, hash, file) => ({
      ...value,
      hash,
      file,
    }),
  );
}

type Checked = Array<{ field: string; text: ProblemText }>;

/** The rules on a whole persona: cross-field ones, the id that names the file, a misspelt archetype. */
function personaChecks(name: string): (p: PersonaFile) => Checked {
  return (p) => {
    const out = [...personaProblems(p).map(fieldCheckWords), ...patternProblems(p).map(patternWords)];
    // The guide promises id = file name: that is how a trainer finds the file behind a persona.
    const stem = name.replace(/\.ya?ml$/i, "");
    if (p.id !== stem) out.push({ field: "id", text: say("idMismatch", p.id, name, stem) });
    const known: readonly string[] = KNOWN_ARCHETYPES;
    if (!known.includes(p.archetype)) {
      const meant = closest(p.archetype, known);
      if (meant) out.push({ field: "archetype", text: say("archetypeTypo", p.archetype, meant) });
    }
    return out;
  };
}

function patternWords(f: PatternFault): { field: string; text: ProblemText } {
  return { field: f.field, text: say("patternInvalid", f.pattern, f.code, f.detail) };
}

function fieldCheckWords(c: FieldCheck): { field: string; text: ProblemText } {
  switch (c.code) {
    case "openingRequired":
      return { field: c.field, text: say("openingRequired") };
    case "idReused":
      return { field: c.field, text: say("idReused", c.id, c.at) };
    case "walkOutNotBelowSatisfied":
      return { field: c.field, text: say("walkOutNotBelowSatisfied") };
    case "weightsSum":
      return { field: c.field, text: say("weightsSum", c.sum) };
    case "scaleOrder":
      return { field: c.field, text: say("scaleOrder") };
    case "levelOutsideScale":
      return { field: c.field, text: say("levelOutsideScale", c.level, c.min, c.max) };
    case "levelEnds":
      return { field: c.field, text: say("levelEnds", c.min, c.max) };
  }
}

function loadFile<S extends z.ZodType, T>(
  dir: string,
  name: string,
  kind: Kind,
  schema: S,
  wholeChecks: (v: z.infer<S>) => Checked,
  build: (v: z.infer<S>, hash: string, file: string) => T,
): LoadedFile<T> {
  const full = path.join(dir, name);
  const refused = (found: FoundProblem[]): LoadedFile<T> => ({
    file: name,
    value: null,
    problems: found.map((f) => problemAt(name, kind, f.line, f.field, f.text)),
  });
  const problem = (text: ProblemText, line: number | null = null) => refused([{ line, field: null, text }]);

  let bytes: Buffer;
  try {
    const stat = fs.statSync(full);
    if (stat.size > MAX_FILE_BYTES) return problem(say("fileTooBig", Math.round(stat.size / 1024)));
    bytes = fs.readFileSync(full);
  } catch (e) {
    return problem(say("unreadable", (e as NodeJS.ErrnoException).code ?? "error"));
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return problem(say("bom"), 1);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return problem(say("notUtf8"), firstInvalidUtf8Line(bytes));
  }
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) return problem(say("empty", kind));

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return refused([firstSyntaxProblem(text, doc.errors, lines)]);
  const data = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) return problem(say("notAMapping", kind), 1);

  const swallowed = swallowedKeys(text, doc, lines, (at) => knownKeys(kind, at));
  const explained = new Set(swallowed.map((s) => formatPath(s.swallowed)));
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const found = parsed.error.issues
      .flatMap((issue) => describeIssue(issue, doc, lines, kind))
      // A field swallowed into the text above is missing only as a consequence: say it once.
      .filter((f) => !(f.field !== null && explained.has(f.field) && f.text.code === "missingField"));
    return refused([...swallowed, ...found]);
  }
  const whole = wholeChecks(parsed.data).map((c) => ({
    line: lineOf(doc, lines, fieldToPath(c.field)),
    field: c.field,
    text: c.text,
  }));
  if (swallowed.length > 0 || whole.length > 0) return refused([...swallowed, ...whole]);
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
