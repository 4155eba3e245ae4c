// `roleplay personas check` as a trainer runs it: on one file, with the details in their language.
// In-process through the CLI's entry point (the spawned executable is covered in cli.test.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { createCliContext } from "../../src/cli/context.ts";

const root = path.resolve(import.meta.dirname, "../..");

async function run(args: string[], language: "en" | "zh-CN") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const ctx = createCliContext(
    {
      BOT_LANGUAGE: language,
      PERSONAS_DIR: path.join(root, "personas"),
      PROMPTS_DIR: path.join(root, "prompts"),
      LOG_LEVEL: "silent",
    },
    { stdout, stderr, stdin: new PassThrough() },
  );
  const code = await main(args, ctx);
  return { code, stdout: out, stderr: err };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "personas-check-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("roleplay personas check FILE", () => {
  it("checks one shipped file", async () => {
    const r = await run(["personas", "check", path.join(root, "personas/atm-counterfeit-note.yaml")], "en");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/All files are valid: 1 /);
    expect(r.code).toBe(0);
  });

  it("names the mistakes of one broken file in Chinese, at their lines, without ENOTDIR", async () => {
    const text = fs.readFileSync(path.join(root, "personas/atm-counterfeit-note.yaml"), "utf8");
    const file = path.join(tmp, "atm-counterfeit-note.yaml");
    fs.writeFileSync(file, text.replace(/^title: /m, "title："));
    const line = text.split("\n").findIndex((l) => l.startsWith("title: ")) + 1;
    const r = await run(["personas", "check", file], "zh-CN");
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/ENOTDIR|Implicit keys|Fix:/);
    expect(r.stderr).toContain(`atm-counterfeit-note.yaml:${line}：“title”后面是全角冒号“：”。改法：`);
  });

  it("says when the path does not exist", async () => {
    const r = await run(["personas", "check", path.join(tmp, "nope.yaml")], "en");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.yaml does not exist");
  });
});
