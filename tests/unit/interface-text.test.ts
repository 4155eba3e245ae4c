// No interface text outside the typed message tables: a Chinese (CJK) string anywhere else in
// src/ is a sentence that escaped translation, or a table someone forgot to type. Read with a real
// parser (vite's parseAst, oxc underneath; TypeScript 7 has no JS API), so comments are not
// counted and nothing hides in a template literal.
//
// What may hold CJK text, and why:
// - Message tables: the messages.ts files, and anything inside a `defineMessages({...})` call in
//   whatever file it stands (both languages checked against each other by the type checker).
// - Regular expression literals: patterns over what the trainee or the model wrote, never shown.
// - Language data, by the role of its folder or file: the words the program looks for in the
//   trainee's or the model's text, which are Chinese because the text is. Listed in LANGUAGE_DATA
//   with the reason; a new entry needs one as good.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseAst } from "vite";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SRC = join(ROOT, "src");

/** Paths (relative to the repository, "/" separators) whose strings are language data. */
const LANGUAGE_DATA: Record<string, string> = {
  "src/evaluation/detectors/": "the detectors' lexicons and patterns: the phrases they find in a trainee's turns",
  "src/guard/": "the manipulation vocabulary and patterns, and the traditional-to-simplified fold they match through",
  "src/roleplay/privacy/": "personal-data keywords, surnames and spoken digits that mark what to mask",
  "src/roleplay/reply-check.ts":
    "words that betray a leaked prompt, and traditional characters a simplified reply must not hold",
  "src/i18n/languages.ts": "the languages as prompts name them for the model (not interface text)",
};

/** Chinese characters (CJK ideographs). Punctuation alone (、。「」) is formatting, not text. */
/**
 * Files another change is moving into tables as this lands (owner in parentheses); each entry is
 * removed with that change. An entry whose file is clean fails below, so none outlives its reason.
 */
const PENDING: Record<string, string> = {};

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/** The message-table files: by convention each area keeps its words in a messages.ts. */
const isMessageTable = (file: string) => file.endsWith(`${sep}messages.ts`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.isFile() && d.name.endsWith(".ts") ? [full] : [];
  });
}

const shown = (file: string) => relative(ROOT, file).split(sep).join("/");

interface AstNode {
  type: string;
  start: number;
  [key: string]: unknown;
}

function isDefineMessagesCall(node: AstNode): boolean {
  if (node.type !== "CallExpression") return false;
  const callee = node.callee as AstNode & { name?: string; property?: { name?: string } };
  return callee.name === "defineMessages" || callee.property?.name === "defineMessages";
}

/** The text of every string and template piece outside message tables and regex literals. */
function strayLiterals(code: string): Array<{ start: number; text: string }> {
  const found: Array<{ start: number; text: string }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const n = node as AstNode;
    if (typeof n.type === "string") {
      if (isDefineMessagesCall(n)) return;
      // A regex literal is a pattern over what the trainee or the model wrote, never shown.
      if (n.type === "Literal" && n.regex !== undefined) return;
      if (n.type === "Literal" && typeof n.value === "string" && CJK.test(n.value)) {
        found.push({ start: n.start, text: n.value });
      }
      const cooked = (n.value as { cooked?: unknown } | undefined)?.cooked;
      if (n.type === "TemplateElement" && typeof cooked === "string" && CJK.test(cooked)) {
        found.push({ start: n.start, text: cooked });
      }
    }
    for (const [key, value] of Object.entries(n)) if (key !== "type") visit(value);
  };
  visit(parseAst(code, { lang: "ts" }));
  return found;
}

/** CJK text in string and template literals outside message tables: "file:line: text". */
function strayText(file: string): string[] {
  const code = readFileSync(file, "utf8");
  if (!CJK.test(code)) return [];
  return strayLiterals(code).map(({ start, text }) => {
    const line = code.slice(0, start).split("\n").length;
    return `${shown(file)}:${line}: ${text.replace(/\s+/g, " ").slice(0, 60)}`;
  });
}

const isLanguageData = (file: string) => Object.keys(LANGUAGE_DATA).some((p) => shown(file).startsWith(p));

describe("interface text lives in the message tables", () => {
  it("no CJK string literal in src/ outside a message table or language data", () => {
    const stray = sourceFiles(SRC)
      .filter((f) => !isLanguageData(f) && !isMessageTable(f) && PENDING[shown(f)] === undefined)
      .flatMap(strayText);
    expect(stray, `move these into a defineMessages table:\n${stray.join("\n")}`).toEqual([]);
  });

  it("every pending file still has text to move (remove its entry once it has none)", () => {
    for (const file of Object.keys(PENDING)) {
      const full = join(ROOT, file);
      const left = existsSync(full) ? strayText(full) : [];
      expect(left.length, `${file} is clean: remove it from PENDING`).toBeGreaterThan(0);
    }
  });

  it("the check finds a Chinese sentence in code and in a template, and passes tables and patterns", () => {
    const probe = (code: string) => strayLiterals(code).length;
    expect(probe(`const status = zh ? "进行中" : "active";`)).toBe(1);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the probe is source text with a template literal
    expect(probe("const line = `状态：${status}`;")).toBe(1);
    expect(probe(`// 注释里的中文\nconst t = defineMessages({ en: { a: "A" }, "zh-CN": { a: "甲" } });`)).toBe(0);
    expect(probe("const q = /[吗呢]$/;")).toBe(0);
  });

  it("every language-data entry still exists and still holds Chinese (no stale allowances)", () => {
    for (const path of Object.keys(LANGUAGE_DATA)) {
      const files = sourceFiles(SRC).filter((f) => shown(f).startsWith(path));
      expect(files.length, path).toBeGreaterThan(0);
      expect(
        files.some((f) => CJK.test(readFileSync(f, "utf8"))),
        path,
      ).toBe(true);
    }
  });
});
