// `roleplay personas check` as a trainer runs it: on one file, with the details in their language.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/roleplay.js");

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "personas-check-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("roleplay personas check FILE", () => {
  it("checks one shipped file", () => {
    const r = run(["personas", "check", "personas/atm-counterfeit-note.yaml"], { BOT_LANGUAGE: "en" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/All files are valid: 1 /);
    expect(r.code).toBe(0);
  });

  it("names the mistakes of one broken file in Chinese, at their lines, without ENOTDIR", () => {
    const text = fs.readFileSync(path.join(root, "personas/atm-counterfeit-note.yaml"), "utf8");
    const file = path.join(tmp, "atm-counterfeit-note.yaml");
    fs.writeFileSync(file, text.replace(/^title: /m, "title："));
    const line = text.split("\n").findIndex((l) => l.startsWith("title: ")) + 1;
    const r = run(["personas", "check", file], { BOT_LANGUAGE: "zh-CN" });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/ENOTDIR|Implicit keys|Fix:/);
    expect(r.stderr).toContain(`atm-counterfeit-note.yaml:${line}：“title”后面是全角冒号“：”。改法：`);
  });

  it("says when the path does not exist", () => {
    const r = run(["personas", "check", path.join(tmp, "nope.yaml")], { BOT_LANGUAGE: "en" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.yaml does not exist");
  });
});
