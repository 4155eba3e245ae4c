// No source file over 450 lines (issue 14): a file that long holds several jobs, and new code goes
// in new, well-named modules instead. The failure lists every offender with its length.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const MAX_LINES = 450;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.isFile() && /\.(ts|js|mjs|cjs)$/.test(d.name) ? [full] : [];
  });
}

/** Lines as an editor counts them: a final newline does not open another line. */
function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

describe("file size", () => {
  it(`no file under src/ exceeds ${MAX_LINES} lines`, () => {
    const files = sourceFiles(join(ROOT, "src"));
    expect(files.length).toBeGreaterThan(50);
    const over = files
      .map((f) => ({ file: relative(ROOT, f).split(sep).join("/"), lines: lineCount(readFileSync(f, "utf8")) }))
      .filter((f) => f.lines > MAX_LINES)
      .sort((a, b) => b.lines - a.lines)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(over, `split these along their seams:\n${over.join("\n")}`).toEqual([]);
  });

  it("counts lines as an editor does", () => {
    expect(lineCount("")).toBe(0);
    expect(lineCount("a")).toBe(1);
    expect(lineCount("a\n")).toBe(1);
    expect(lineCount("a\nb\n")).toBe(2);
    expect(lineCount(`${"x\n".repeat(451)}`)).toBe(451);
  });
});
