// The README's command examples, run as written (with `npx roleplay` as the built executable)
// against the fake model server, in a fresh folder holding the project's personas and prompts.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const root = path.resolve(import.meta.dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/**
 * Every `npx roleplay ...` example: lines of shell blocks (continuations joined) and inline code.
 * Placeholders (`ID`, `<server id>`, `[...]`) mark a syntax line, not an example to run.
 */
function examples(): string[] {
  const found = new Set<string>();
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const text = (block[1] as string).replace(/\\\n\s*/g, "");
    for (const line of text.split("\n")) if (line.includes("npx roleplay")) found.add(line.trim());
  }
  for (const inline of readme.matchAll(/`([^`\n]*npx roleplay [^`\n]*)`/g)) found.add(inline[1] as string);
  return [...found].filter((c) => !/<|\[|\b(ID|DIR|FILE|N)\b/.test(c));
}

/** What each example promises beyond exiting 0. */
const PROMISES: Array<[RegExp, (out: string, cwd: string) => void]> = [
  // The piped practice reaches an evaluation: the card with its score.
  [/\| npx roleplay console/, (out) => expect(out).toMatch(/\/ 100/)],
  [/report .*--out report\.html/, (_out, cwd) => expect(fs.existsSync(path.join(cwd, "report.html"))).toBe(true)],
  [/discord invite/, (out) => expect(out).toContain("https://discord.com/")],
];

/** Examples that need a third party this test cannot be (a real Discord account). */
const NEEDS_THIRD_PARTY = [/discord deploy-commands/];

let llm: FakeLlm;
let cwd: string;
beforeAll(async () => {
  llm = await startFakeLlm({ respondWith: roleplayResponder() });
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "readme-"));
  for (const dir of ["personas", "prompts", "tests"]) fs.symlinkSync(path.join(root, dir), path.join(cwd, dir));
});
afterAll(async () => {
  await llm.close();
  fs.rmSync(cwd, { recursive: true, force: true });
});

function runShell(command: string): Promise<{ code: number | null; out: string }> {
  const node = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, "bin/roleplay.js"))}`;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command.replaceAll("npx roleplay", node)], {
      cwd,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: cwd,
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: "test-key",
        LLM_MODEL: "fake-model",
        DISCORD_APP_ID: "123456789012345678",
        LOG_LEVEL: "warn",
      },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
    child.stdin.end();
  });
}

describe("the README's examples", () => {
  it("are found: the piped practice among them", () => {
    expect(examples().some((c) => c.includes("| npx roleplay console"))).toBe(true);
    expect(examples().length).toBeGreaterThanOrEqual(5);
  });

  it("each runs as written, exits 0 and shows what it promises", { timeout: 600_000 }, async () => {
    for (const command of examples()) {
      if (NEEDS_THIRD_PARTY.some((p) => p.test(command))) continue;
      const r = await runShell(command);
      expect(r.code, `${command}\n${r.out}`).toBe(0);
      for (const [pattern, check] of PROMISES) if (pattern.test(command)) check(r.out, cwd);
    }
  });
});
