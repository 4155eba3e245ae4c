// The mistakes trainers make when writing personas by hand, each named in their language with
// the line where it sits and what to do about it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkCatalogue, formatProblem, loadCatalogue, type Problem } from "../../src/catalogue/index.ts";

const fixtures = path.join(import.meta.dirname, "../fixtures/catalogue");
const persona = fs.readFileSync(path.join(fixtures, "persona.yaml"), "utf8");
const rubric = fs.readFileSync(path.join(fixtures, "rubric.yaml"), "utf8");

let root: string;
let personasDir: string;
let promptsDir: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "catalogue-mistakes-"));
  personasDir = path.join(root, "personas");
  promptsDir = path.join(root, "prompts");
  fs.mkdirSync(path.join(promptsDir, "rubrics"), { recursive: true });
  fs.mkdirSync(personasDir);
  fs.writeFileSync(path.join(promptsDir, "rubrics/default.zh-CN.yaml"), rubric);
  fs.writeFileSync(path.join(personasDir, "test-angry.yaml"), persona);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes `id.yaml` (the fixture with its id changed) after `edit`, and returns that file's problems. */
function problemsOf(id: string, edit: (text: string) => string): Problem[] {
  fs.writeFileSync(path.join(personasDir, `${id}.yaml`), edit(persona.replace("id: test-angry", `id: ${id}`)));
  const catalogue = loadCatalogue({ personasDir, promptsDir });
  expect(catalogue.persona(id)).toBeUndefined();
  return catalogue.problems().filter((p) => p.file === `${id}.yaml`);
}

function lineOf(id: string, startsWith: string): number {
  const text = fs.readFileSync(path.join(personasDir, `${id}.yaml`), "utf8");
  const index = text.split("\n").findIndex((l) => l.startsWith(startsWith));
  expect(index).toBeGreaterThanOrEqual(0);
  return index + 1;
}

function both(p: Problem | undefined): { en: string; zh: string } {
  expect(p).toBeDefined();
  return { en: formatProblem(p as Problem, "en"), zh: formatProblem(p as Problem, "zh-CN") };
}

describe("a trainer's mistake is named, at its line, with the fix, in English and Chinese", () => {
  it("a full-width colon after a key (typed with a Chinese keyboard)", () => {
    const problems = problemsOf("colon", (t) => t.replace("title: ", "title："));
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p?.line).toBe(lineOf("colon", "title："));
    const { en, zh } = both(p);
    expect(en).toBe(
      `colon.yaml:${p?.line}: "title" is followed by a full-width colon "：". Fix: use the ASCII colon and a space: "title: ..." (switch the keyboard to English for the colon).`,
    );
    expect(zh).toContain(
      `colon.yaml:${p?.line}：“title”后面是全角冒号“：”。改法：改成半角冒号加一个空格：“title: ...”`,
    );
    expect(en).not.toMatch(/Implicit keys/);
  });

  it("a full-width colon in a nested field and in a list item", () => {
    const nested = problemsOf("nested", (t) => t.replace("  speech: ", "  speech："));
    expect(nested).toHaveLength(1);
    expect(nested[0]?.line).toBe(lineOf("nested", "  speech："));
    expect(both(nested[0]).en).toContain('"speech" is followed by a full-width colon');

    const item = problemsOf("item", (t) => t.replace("    reveal_when: ", "    reveal_when："));
    expect(item).toHaveLength(1);
    expect(item[0]?.line).toBe(lineOf("item", "    reveal_when："));
    expect(both(item[0]).zh).toContain("“reveal_when”后面是全角冒号");
  });

  it("a full-width colon that YAML silently reads as more text of the line above", () => {
    // Indented under `name`, the line is a continuation of the name: valid YAML, a missing title.
    const problems = problemsOf("cont", (t) => t.replace("title: ", "  title："));
    const p = problems.find((x) => x.text.code === "fullWidthColon");
    expect(p?.line).toBe(lineOf("cont", "  title："));
    expect(p?.field).toBe("title");
    expect(both(p).en).toContain('"title" is followed by a full-width colon');
    // ... and not also "title is missing" at some other line.
    expect(problems.some((x) => x.text.code === "missingField")).toBe(false);
  });

  it("a key indented into the block text of the field above is pointed at where it sits", () => {
    const problems = problemsOf("swallow", (t) =>
      t.replace(/^situation: (.*)\nwants: /m, (_, s: string) => `situation: >-\n  ${s}\n  wants: `),
    );
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p?.field).toBe("wants");
    expect(p?.line).toBe(lineOf("swallow", "  wants: "));
    const { en, zh } = both(p);
    const host = lineOf("swallow", "situation:");
    expect(en).toBe(
      `swallow.yaml:${p?.line}: [wants] "wants:" is read as part of the text of "situation" (line ${host}), not as a field, because of its indentation. Fix: start "wants:" at the same indentation as the other fields at that level (0 spaces).`,
    );
    expect(zh).toContain(`“wants:”被当成了“situation”（第 ${host} 行）文字的一部分`);
    expect(zh).toContain("改法：让“wants:”和同一级的其他字段对齐（缩进 0 个空格）");
  });

  it("a nested key swallowed by its sibling's text, and an optional key swallowed, are both found", () => {
    const nested = problemsOf("nested-swallow", (t) =>
      t.replace(/^ {2}background: (.*)\n {2}speech: /m, (_, s: string) => `  background: |\n    ${s}\n    speech: `),
    );
    expect(nested).toHaveLength(1);
    expect(nested[0]?.field).toBe("identity.speech");
    expect(nested[0]?.line).toBe(lineOf("nested-swallow", "    speech: "));
    expect(both(nested[0]).en).toContain("(2 spaces)");

    // `notes` is optional: nothing would be "missing", the text would just be wrong.
    const optional = problemsOf("optional", (t) =>
      t
        .replace(/^max_turns: 12/m, "max_turns: 12\nsituation_note: x")
        .replace(/^wants: (.*)$/m, (_, s: string) => `wants: >\n  ${s}\n  notes: 记录`),
    );
    const notes = optional.find((x) => x.field === "notes");
    expect(notes?.line).toBe(lineOf("optional", "  notes: "));
  });

  it("text that merely contains a colon is not taken for a key", () => {
    fs.writeFileSync(
      path.join(personasDir, "test-angry.yaml"),
      persona.replace(
        /^situation: (.*)$/m,
        "situation: >-\n  他说: 钱不对。\n  note: 这不是字段名\n    wants: 更深的缩进是正文",
      ),
    );
    const catalogue = loadCatalogue({ personasDir, promptsDir });
    expect(catalogue.problems()).toEqual([]);
  });

  it("an unknown archetype, difficulty, language or channel gets a did-you-mean", () => {
    const cases: Array<[string, string, string, string]> = [
      ["archetype", "angry", "confussed", "confused"],
      ["difficulty", "medium", "medum", "medium"],
      ["language", "zh-CN", "zh-cn", "zh-CN"],
      ["channel", "branch", "brnach", "branch"],
    ];
    for (const [field, good, bad, meant] of cases) {
      const id = `enum-${field}`;
      const problems = problemsOf(id, (t) => t.replace(`${field}: ${good}`, `${field}: ${bad}`));
      const p = problems.find((x) => x.field === field);
      expect(p?.line, field).toBe(lineOf(id, `${field}: `));
      const { en, zh } = both(p);
      expect(en, field).toContain(`(did you mean "${meant}"?)`);
      expect(en, field).toContain(`Fix: write "${meant}"`);
      expect(zh, field).toContain(`（是不是想写“${meant}”？）`);
      expect(zh, field).toContain(`改法：改成“${meant}”`);
    }
  });

  it("an archetype of the trainer's own is fine when it is not a near-miss of a known one", () => {
    fs.writeFileSync(
      path.join(personasDir, "test-angry.yaml"),
      persona.replace("archetype: angry", "archetype: talkative"),
    );
    expect(loadCatalogue({ personasDir, promptsDir }).problems()).toEqual([]);
  });

  it("a misspelling of the trainers' own archetype (used by two others) is caught too", () => {
    for (const id of ["own-a", "own-b"])
      fs.writeFileSync(
        path.join(personasDir, `${id}.yaml`),
        persona.replace("id: test-angry", `id: ${id}`).replace("archetype: angry", "archetype: impatient"),
      );
    const problems = problemsOf("own-c", (t) => t.replace("archetype: angry", "archetype: impatiant"));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(lineOf("own-c", "archetype:"));
    expect(both(problems[0]).zh).toContain("类型（archetype）“impatiant”不认识（是不是想写“impatient”？）");
  });

  it("an enum value nothing resembles lists the allowed values", () => {
    const problems = problemsOf("far", (t) => t.replace("channel: branch", "channel: 柜台"));
    const { en, zh } = both(problems.find((x) => x.field === "channel"));
    expect(en).toContain(
      '"channel" is "柜台", which is not one of "phone", "branch", "online_chat". Fix: write one of',
    );
    expect(zh).toContain("从 “phone”、“branch”、“online_chat” 中选一个");
  });

  it("an id different from the file name", () => {
    fs.writeFileSync(path.join(personasDir, "my-case.yaml"), persona.replace("id: test-angry", "id: my-cas"));
    const catalogue = loadCatalogue({ personasDir, promptsDir });
    const [p] = catalogue.problems();
    expect(catalogue.problems()).toHaveLength(1);
    expect(p?.line).toBe(1);
    expect(p?.field).toBe("id");
    const { en, zh } = both(p);
    expect(en).toBe(
      'my-case.yaml:1: [id] the id "my-cas" differs from the file name "my-case.yaml"; they must match. Fix: rename the file to "my-cas.yaml", or change the line to "id: my-case".',
    );
    expect(zh).toBe(
      "my-case.yaml:1：[id] id“my-cas”和文件名“my-case.yaml”不一致，两者必须相同。改法：把文件改名为“my-cas.yaml”，或把这一行改成“id: my-case”。",
    );
  });

  it("tabs give one message, at the first tab, not one per line", () => {
    const problems = problemsOf("tabs", (t) => t.replace(/^ {2}/gm, "\t"));
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p?.line).toBe(lineOf("tabs", "\t"));
    const { en, zh } = both(p);
    expect(en).toContain("a tab character is used for indentation; YAML allows spaces only. Fix: replace each tab");
    expect(zh).toContain("缩进用了制表符（Tab）；YAML 只允许用空格缩进。改法：把行首的 Tab 换成空格");
  });

  it("any other syntax error is reported once, at its line, with a fix", () => {
    const problems = problemsOf("syntax", (t) =>
      t.replace("name: 王先生", 'name: "王先生').replace("title: ", "title: [x"),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(lineOf("syntax", "name: "));
    expect(both(problems[0]).zh).toMatch(/YAML 语法错误：.*改法：检查这一行和上一行的缩进、冒号和引号/);
  });

  it("checker details of other problems are in Chinese too", () => {
    const problems = problemsOf("zh", (t) => t.replace("max_turns: 12", "max_turns: 1").replace(/^wants:.*\n/m, ""));
    const zh = problems.map((p) => formatProblem(p, "zh-CN")).join("\n");
    expect(zh).toContain("缺少必填字段“wants”");
    expect(zh).toContain("“max_turns”超出范围（至少 2）");
    expect(zh).not.toMatch(/Fix:|missing|should be/);
  });
});

describe("values of the wrong kind are named in the trainer's words", () => {
  it("a mood with decimals asks for a whole number", () => {
    const problems = problemsOf("decimal", (t) => t.replace("mood_start: 1", "mood_start: 1.5"));
    const p = problems.find((x) => x.field === "emotion.mood_start");
    expect(p?.line).toBe(lineOf("decimal", "  mood_start:"));
    const { en, zh } = both(p);
    expect(en).toContain('"emotion.mood_start" should be a whole number. Fix: write a whole number there.');
    expect(zh).toContain("“emotion.mood_start”应该是 整数。改法：在这里写 整数。");
  });

  it("a rubric level named by a word asks for scores", () => {
    fs.writeFileSync(
      path.join(promptsDir, "rubrics/default.zh-CN.yaml"),
      rubric.replace('levels: { "1": 无视情绪,', 'levels: { top: 很好, "1": 无视情绪,'),
    );
    const p = loadCatalogue({ personasDir, promptsDir })
      .problems()
      .find((x) => x.kind === "rubric");
    expect(p?.field).toMatch(/^criteria\[0\]\.levels\.top$/);
    const { en, zh } = both(p);
    expect(en).toContain('is not a score. Fix: name each level by its score, e.g. "1", "3", "5".');
    expect(zh).toContain("不是一个分数。改法：每个等级用它的分数命名");
  });
});

describe("checking one file", () => {
  it("checks that file only, judged with its folder and the rubrics", () => {
    fs.writeFileSync(path.join(personasDir, "broken.yaml"), "id: broken\n");
    const one = checkCatalogue({ target: path.join(personasDir, "test-angry.yaml"), personasDir, promptsDir });
    expect(one).toEqual({ found: true, problems: [], personas: 1, rubrics: 0 });
    const bad = checkCatalogue({ target: path.join(personasDir, "broken.yaml"), personasDir, promptsDir });
    expect(bad.found && bad.problems.length > 0 && bad.problems.every((p) => p.file === "broken.yaml")).toBe(true);
  });

  it("a rubric file is checked as a rubric", () => {
    const file = path.join(promptsDir, "rubrics/default.zh-CN.yaml");
    expect(checkCatalogue({ target: file, personasDir, promptsDir })).toEqual({
      found: true,
      problems: [],
      personas: 0,
      rubrics: 1,
    });
    fs.writeFileSync(file, rubric.replace(/weight: \d+/, "weight: 1"));
    const bad = checkCatalogue({ target: file, personasDir, promptsDir });
    expect(bad.found && bad.problems.map((p) => p.text.code)).toEqual(["weightsSum"]);
  });

  it("a path that does not exist is said so", () => {
    expect(checkCatalogue({ target: path.join(root, "nope.yaml"), personasDir, promptsDir })).toEqual({
      found: false,
      path: path.join(root, "nope.yaml"),
    });
  });
});
