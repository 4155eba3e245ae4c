import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatProblem, loadCatalogue } from "../../src/catalogue/index.ts";

const fixtures = path.join(import.meta.dirname, "../fixtures/catalogue");
const persona = fs.readFileSync(path.join(fixtures, "persona.yaml"), "utf8");
const rubric = fs.readFileSync(path.join(fixtures, "rubric.yaml"), "utf8");

let root: string;
let personasDir: string;
let promptsDir: string;

function write(rel: string, content: string | Buffer): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}

function load() {
  return loadCatalogue({ personasDir, promptsDir });
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "catalogue-"));
  personasDir = path.join(root, "personas");
  promptsDir = path.join(root, "prompts");
  write("prompts/rubrics/default.zh-CN.yaml", rubric);
  write("personas/test-angry.yaml", persona);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the catalogue tells trainers precisely what is wrong", () => {
  it("loads a valid persona and rubric, with a content hash", () => {
    const c = load();
    expect(c.problems()).toEqual([]);
    const p = c.persona("test-angry");
    expect(p?.name).toBe("王先生");
    expect(p?.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(c.rubric("default", "zh-CN")?.criteria).toHaveLength(2);
  });

  it("the hash changes with the content, not with formatting", () => {
    const before = load().persona("test-angry")?.hash;
    write("personas/test-angry.yaml", `# a comment\n${persona}\n\n`);
    expect(load().persona("test-angry")?.hash).toBe(before);
    write("personas/test-angry.yaml", persona.replace("max_turns: 12", "max_turns: 13"));
    expect(load().persona("test-angry")?.hash).not.toBe(before);
  });

  it("a YAML syntax error names the file and the line, and other files still load", () => {
    write("personas/broken.yaml", "id: broken\nname: [unclosed\ntitle: x\n");
    const c = load();
    const [p] = c.problems();
    expect(p?.file).toBe("broken.yaml");
    expect(p?.line).toBeGreaterThanOrEqual(2);
    expect(p?.message).toMatch(/YAML syntax error/);
    expect(c.persona("test-angry")).toBeDefined();
  });

  it("a typo'd key names the file, the line and the key, with a suggestion", () => {
    write("personas/typo.yaml", persona.replace("id: test-angry", "id: typo").replace("situation:", "situaton:"));
    const problems = load()
      .problems()
      .filter((p) => p.file === "typo.yaml");
    const unknown = problems.find((p) => p.message.includes("situaton"));
    expect(unknown?.line).toBe(persona.split("\n").findIndex((l) => l.startsWith("situation:")) + 1);
    expect(unknown?.field).toBe("situaton");
    expect(unknown?.message).toContain('did you mean "situation"');
    // the real field is then missing
    expect(problems.some((p) => p.field === "situation" && /missing/.test(p.message))).toBe(true);
  });

  it("a nested typo points at its own line", () => {
    write(
      "personas/nested.yaml",
      persona.replace("id: test-angry", "id: nested").replace("mood_start: 1", "mood_strat: 1"),
    );
    const p = load()
      .problems()
      .find((x) => x.field === "emotion.mood_strat");
    expect(p?.line).toBe(persona.split("\n").findIndex((l) => l.includes("mood_start")) + 1);
  });

  it("a wrong type says what was expected", () => {
    write(
      "personas/wrong.yaml",
      persona.replace("id: test-angry", "id: wrong").replace("max_turns: 12", "max_turns: twelve"),
    );
    const p = load()
      .problems()
      .find((x) => x.file === "wrong.yaml");
    expect(p?.field).toBe("max_turns");
    expect(p?.message).toMatch(/a number/);
    expect(p?.line).toBe(persona.split("\n").findIndex((l) => l.startsWith("max_turns")) + 1);
  });

  it("an avatar must be an https image URL", () => {
    write(
      "personas/avatar.yaml",
      persona
        .replace("id: test-angry", "id: avatar")
        .replace("https://img.example/wang.png", "http://img.example/wang.png"),
    );
    const p = load()
      .problems()
      .find((x) => x.file === "avatar.yaml");
    expect(p?.field).toBe("avatar");
    expect(p?.message).toMatch(/not an https:\/\/ web address/);
  });

  it("a missing required field is named", () => {
    write("personas/missing.yaml", persona.replace("id: test-angry", "id: missing").replace(/^wants:.*\n/m, ""));
    const p = load()
      .problems()
      .find((x) => x.file === "missing.yaml");
    expect(p?.field).toBe("wants");
    expect(p?.message).toMatch(/required field "wants" is missing/);
  });

  it("a duplicate id across files is reported and the first file wins", () => {
    // Ids equal file names, so only the two spellings of the extension can collide.
    write("personas/test-angry.yml", persona);
    const c = load();
    const p = c.problems().find((x) => x.file === "test-angry.yml");
    expect(p?.message).toMatch(/already used by test-angry.yaml/);
    expect(c.personas()).toHaveLength(1);
  });

  it("rubric weights that do not add up to 100 are refused", () => {
    write("prompts/rubrics/default.zh-CN.yaml", rubric.replace("weight: 40", "weight: 30"));
    const c = load();
    const p = c.problems().find((x) => x.kind === "rubric");
    expect(p?.file).toBe(path.join("rubrics", "default.zh-CN.yaml"));
    expect(p?.message).toMatch(/add up to 90; they must add up to 100/);
    // and the persona that needs it says so
    expect(c.problems().some((x) => x.file === "test-angry.yaml" && x.field === "rubric")).toBe(true);
  });

  it("a persona naming a rubric that does not exist is refused", () => {
    write(
      "personas/norubric.yaml",
      persona.replace("id: test-angry", "id: norubric").replace("rubric: default", "rubric: nonesuch"),
    );
    const c = load();
    expect(c.problems().find((x) => x.file === "norubric.yaml")?.message).toMatch(/rubric "nonesuch" does not exist/);
    expect(c.persona("norubric")).toBeUndefined();
  });

  it("a persona whose language has no rubric is refused", () => {
    write(
      "personas/english.yaml",
      persona.replace("id: test-angry", "id: english").replace("language: zh-CN", "language: en"),
    );
    const p = load()
      .problems()
      .find((x) => x.file === "english.yaml");
    expect(p?.message).toMatch(/exists only in zh-CN, not in this persona's language en/);
  });

  it("an empty file is reported", () => {
    write("personas/empty.yaml", "  \n# nothing yet\n");
    expect(
      load()
        .problems()
        .find((x) => x.file === "empty.yaml")?.message,
    ).toMatch(/empty/);
  });

  it("a file over 256 KB is refused without being parsed", () => {
    write("personas/huge.yaml", `notes: "${"x".repeat(300 * 1024)}"\n`);
    expect(
      load()
        .problems()
        .find((x) => x.file === "huge.yaml")?.message,
    ).toMatch(/limit is 256 KB/);
  });

  it("invalid UTF-8 (a GBK file) names the line", () => {
    const gbk = Buffer.concat([
      Buffer.from("id: gbk\nname: "),
      Buffer.from([0xcd, 0xf5, 0xcf, 0xc8, 0xc9, 0xfa, 0xff]),
      Buffer.from("\n"),
    ]);
    write("personas/gbk.yaml", gbk);
    const p = load()
      .problems()
      .find((x) => x.file === "gbk.yaml");
    expect(p?.message).toMatch(/not valid UTF-8/);
    expect(p?.line).toBe(2);
  });

  it("a byte-order mark is reported with how to fix it", () => {
    write(
      "personas/bom.yaml",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(persona.replace("id: test-angry", "id: bom"))]),
    );
    expect(
      load()
        .problems()
        .find((x) => x.file === "bom.yaml")?.message,
    ).toMatch(/without BOM/);
  });

  it("formats a problem as file:line: [field] message", () => {
    write(
      "personas/wrong.yaml",
      persona.replace("id: test-angry", "id: wrong").replace("max_turns: 12", "max_turns: twelve"),
    );
    const p = load()
      .problems()
      .find((x) => x.file === "wrong.yaml");
    expect(p && formatProblem(p)).toMatch(/^wrong\.yaml:\d+: \[max_turns\] /);
  });

  it("picks a random persona by archetype and difficulty", () => {
    const c = load();
    expect(c.pick({ archetype: "angry", difficulty: "medium" })?.id).toBe("test-angry");
    expect(c.pick({ archetype: "confused" })).toBeUndefined();
  });
});

describe("live reload", () => {
  it("a saved change applies without a restart; a broken edit keeps the last good version", async () => {
    const c = load();
    const stop = c.watch();
    try {
      write("personas/test-angry.yaml", persona.replace("name: 王先生", "name: 李先生"));
      await waitFor(() => c.persona("test-angry")?.name === "李先生");
      const goodHash = c.persona("test-angry")?.hash;
      write("personas/test-angry.yaml", persona.replace("max_turns: 12", "max_turns: [oops"));
      await waitFor(() => c.problems().length > 0);
      expect(c.persona("test-angry")?.hash).toBe(goodHash);
      expect(c.keptVersions()).toEqual(["test-angry.yaml"]);
      write("personas/second.yaml", persona.replace("id: test-angry", "id: second"));
      await waitFor(() => c.persona("second") !== undefined);
    } finally {
      stop();
    }
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
