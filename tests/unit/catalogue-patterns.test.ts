// Trainers' detector patterns are checked with the rest of the file: a pattern that does not
// compile is refused with its file, line and field, in the trainer's language.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatProblem, loadCatalogue } from "../../src/catalogue/index.ts";

const fixtures = path.join(import.meta.dirname, "../fixtures/catalogue");
const persona = fs.readFileSync(path.join(fixtures, "persona.yaml"), "utf8");
const rubric = fs.readFileSync(path.join(fixtures, "rubric.yaml"), "utf8");
let root: string;

function write(rel: string, content: string): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}
const load = () => loadCatalogue({ personasDir: path.join(root, "personas"), promptsDir: path.join(root, "prompts") });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "catalogue-patterns-"));
  write("prompts/rubrics/default.zh-CN.yaml", rubric);
  write("personas/test-angry.yaml", persona);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("detector patterns in rubrics and personas", () => {
  it("valid patterns load and are kept", () => {
    write(
      "personas/test-angry.yaml",
      `${persona}\nscenario_taboos:\n  - id: promise-refund\n    label: 未核实先承诺退款\n    patterns: ["保证..4退给你"]\nscenario_empathy: ["耽误(你|您)..4接孩子"]\n`,
    );
    write("prompts/rubrics/default.zh-CN.yaml", `${rubric}\ndetectors:\n  apology: ["失礼了"]\n`);
    const c = load();
    expect(c.problems()).toEqual([]);
    expect(c.persona("test-angry")?.scenario_taboos[0]?.patterns).toEqual(["保证..4退给你"]);
    expect(c.rubric("default", "zh-CN")?.detectors.apology).toEqual(["失礼了"]);
  });

  it("a pattern that does not compile is an error with its line, in either language", () => {
    const text = `${persona}\nscenario_taboos:\n  - id: promise-refund\n    label: 未核实先承诺退款\n    patterns:\n      - "保证..4退给你"\n      - "(马上|今天退给你"\n`;
    write("personas/test-angry.yaml", text);
    const [p] = load().problems();
    expect(p?.field).toBe("scenario_taboos[0].patterns[1]");
    expect(p?.line).toBe(text.split("\n").findIndex((l) => l.includes("(马上|今天退给你")) + 1);
    expect(formatProblem(p!, "en")).toMatch(/"\(马上\|今天退给你" cannot be read: a "\(" is never closed/);
    expect(formatProblem(p!, "zh-CN")).toMatch(/没有配对的/);
    expect(load().persona("test-angry")).toBeUndefined();
  });

  it("an unknown word list and an unknown family are each named", () => {
    write("prompts/rubrics/default.zh-CN.yaml", `${rubric}\ndetectors:\n  apology: ["{sorrow}"]\n`);
    const [list] = load().problems();
    expect(list?.field).toBe("detectors.apology[0]");
    expect(formatProblem(list!, "en")).toMatch(/no word list \{sorrow\}; the lists are:.*\bsorry\b/);
    write("prompts/rubrics/default.zh-CN.yaml", `${rubric}\ndetectors:\n  politeness: ["请"]\n`);
    const [family] = load().problems();
    expect(family?.field).toBe("detectors.politeness");
  });
});
