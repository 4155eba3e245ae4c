// The YAML mistakes trainers actually make, named as such instead of in the parser's words: a tab
// for indentation, a full-width colon typed with a Chinese keyboard, and a key indented so far
// that it became part of the text above it (YAML then silently reads it as text).
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap, type YAMLError } from "yaml";
import { type ProblemText, say } from "./messages.ts";
import type { FoundProblem, PathPart } from "./schema-issues.ts";
import { formatPath } from "./schema-issues.ts";

const KEY_WITH_FULL_WIDTH_COLON = /^\s*(?:-\s+)?["']?([A-Za-z_$][\w$-]*)["']?\s*：/;
const LOOKS_LIKE_KEY = /^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*(:(?=\s|$)|：)/;

/**
 * One problem for a file YAML cannot read: the first mistake only, because after a tab or a bad
 * colon the parser's later complaints are consequences, not news.
 */
export function firstSyntaxProblem(text: string, errors: readonly YAMLError[], lines: LineCounter): FoundProblem {
  const first = errors[0] as YAMLError;
  const errorLine = first.linePos?.[0]?.line ?? lines.linePos(first.pos[0]).line;
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < Math.min(rows.length, errorLine); i++) {
    const row = rows[i] ?? "";
    if (/^[ ]*\t/.test(row) && row.trim() !== "") return { line: i + 1, field: null, text: say("tab") };
    const fullWidth = KEY_WITH_FULL_WIDTH_COLON.exec(row);
    if (fullWidth?.[1]) return { line: i + 1, field: null, text: say("fullWidthColon", fullWidth[1]) };
  }
  return { line: errorLine, field: null, text: plainWords(first, rows[errorLine - 1] ?? "") };
}

function plainWords(error: YAMLError, row: string): ProblemText {
  if (error.code === "DUPLICATE_KEY") {
    const key = /^\s*(?:-\s+)?["']?([^"':]+?)["']?\s*:/.exec(row)?.[1];
    if (key) return say("duplicateKey", key);
  }
  // The yaml package's first line is the useful one ("Nested mappings are not allowed ...").
  const detail = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
  return say("yamlSyntax", detail);
}

interface Level {
  path: PathPart[];
  map: YAMLMap;
}

/**
 * Lines inside a multi-line text that look like a field this level (or a level above) expects and
 * does not have: the trainer meant a field, and indented it into the text above. Reported at the
 * line where the key text sits, not where the schema later misses the field.
 */
export function swallowedKeys(
  text: string,
  doc: Document,
  lines: LineCounter,
  knownKeys: (at: PathPart[]) => string[],
): Array<FoundProblem & { swallowed: PathPart[] }> {
  const found: Array<FoundProblem & { swallowed: PathPart[] }> = [];

  const visit = (node: unknown, path: PathPart[], chain: Level[], hostLine: number | null): void => {
    if (isMap(node)) {
      const next = [...chain, { path, map: node }];
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === null) continue;
        const keyStart = (pair.key as Node).range?.[0];
        visit(pair.value, [...path, key], next, keyStart === undefined ? null : lines.linePos(keyStart).line);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        visit(item, [...path, i], chain, hostLine);
      });
    } else if (isScalar(node) && typeof node.value === "string" && node.range) {
      const [start, end] = node.range;
      const source = text.slice(start, end);
      if (!source.includes("\n")) return;
      const firstLine = lines.linePos(start).line;
      const rows = source.split("\n");
      // Continuation lines of the text; the first row holds the field's own key (or `|`/`>`).
      const contentIndent = rows
        .slice(1)
        .filter((r) => r.trim() !== "")
        .map((r) => r.length - r.trimStart().length)[0];
      rows.forEach((row, i) => {
        if (i === 0 || contentIndent === undefined) return;
        const m = LOOKS_LIKE_KEY.exec(row);
        if (!m || (m[1] ?? "").length > contentIndent) return;
        const key = m[2] as string;
        for (let l = chain.length - 1; l >= 0; l--) {
          const level = chain[l] as Level;
          if (level.map.has(key) || !knownKeys(level.path).includes(key)) continue;
          const line = firstLine + i;
          const swallowed = [...level.path, key];
          const text =
            m[3] === "："
              ? say("fullWidthColon", key)
              : say("swallowedKey", key, formatPath(path), hostLine ?? firstLine, keyIndent(level.map, lines));
          found.push({ line, field: formatPath(swallowed), text, swallowed });
          break;
        }
      });
    }
  };
  visit(doc.contents, [], [], null);
  return found;
}

/** How far the keys of a map are indented (where a swallowed key belongs). */
function keyIndent(map: YAMLMap, lines: LineCounter): number {
  const first = map.items[0]?.key as Node | undefined;
  const start = first?.range?.[0];
  return start === undefined ? 0 : lines.linePos(start).col - 1;
}
