// The command line's arguments, in process: help for every command, wrong options named in the
// user's language, the global --personas folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { createCliContext } from "../../src/cli/context.ts";

const root = path.resolve(import.meta.dirname, "../..");

async function cli(args: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const code = await main(
    args,
    createCliContext(
      { BOT_LANGUAGE: "en", PROMPTS_DIR: path.join(root, "prompts"), LOG_LEVEL: "silent", ...env },
      {
        stdout,
        stderr,
      },
    ),
  );
  return { code, out, err };
}

/** Every command and subcommand the tool has, as a user types it. */
const COMMANDS = [
  ["start"],
  ["console"],
  ["personas"],
  ["personas", "check"],
  ["personas", "list"],
  ["personas", "show"],
  ["personas", "schema"],
  ["evaluate"],
  ["report"],
  ["llm"],
  ["llm", "check"],
  ["config"],
  ["config", "check"],
  ["discord"],
  ["discord", "deploy-commands"],
  ["discord", "invite"],
  ["trainee"],
  ["trainee", "delete"],
  ["db"],
  ["db", "migrate"],
];

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-args-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("help", () => {
  it("--help and -h exit 0 with a usage for every command and subcommand, even with a broken configuration", async () => {
    for (const command of COMMANDS) {
      for (const flag of ["--help", "-h"]) {
        const r = await cli([...command, flag], { LLM_TIMEOUT_MS: "not-a-number" });
        expect(r.code, `${command.join(" ")} ${flag}: ${r.err}`).toBe(0);
        expect(r.out, command.join(" ")).toMatch(/Usage/);
        expect(r.err, command.join(" ")).toBe("");
      }
    }
  });

  it("the top-level help lists every command and subcommand, in both languages", async () => {
    for (const language of ["en", "zh-CN"]) {
      const r = await cli(["--help"], { BOT_LANGUAGE: language });
      expect(r.code).toBe(0);
      for (const command of COMMANDS) {
        // `console` and `start` need no subcommand; every other listed line names the pair.
        if (command.length === 1 && COMMANDS.some((c) => c.length === 2 && c[0] === command[0])) continue;
        if (command[0] === "evaluate" || command[0] === "report") {
          expect(r.out).toContain(`${command[0]} ...`);
          continue;
        }
        expect(r.out, `${language}: ${command.join(" ")}`).toContain(command.join(" "));
      }
      expect(r.out).toContain("--personas");
    }
  });

  it("no command at all prints the usage and is a usage error", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("Usage");
  });
});

describe("wrong arguments", () => {
  it("an unknown option is named, with the way to the command's help, exit 2", async () => {
    const cases: Array<[string[], string]> = [
      [["personas", "list", "--jsn"], "roleplay personas list --help"],
      [["evaluate", "s1", "--rerunn"], "roleplay evaluate --help"],
      [["report", "--format=md", "--colour"], "roleplay report --help"],
      [["discord", "deploy-commands", "--gild", "1"], "roleplay discord deploy-commands --help"],
      [["console", "-x"], "roleplay console --help"],
      [["config", "check", "--verbose"], "roleplay config check --help"],
    ];
    for (const [args, help] of cases) {
      const bad = args.find((a) => a.startsWith("-") && !a.includes("=")) as string;
      const en = await cli(args);
      expect(en.code, args.join(" ")).toBe(2);
      expect(en.err, args.join(" ")).toContain(`Unknown option ${bad}.`);
      expect(en.err, args.join(" ")).toContain(help);
      const zh = await cli(args, { BOT_LANGUAGE: "zh-CN" });
      expect(zh.code, args.join(" ")).toBe(2);
      expect(zh.err, args.join(" ")).toContain(`未知选项 ${bad}。`);
      expect(zh.err, args.join(" ")).toContain(help);
    }
  });

  it("an option without its value, or a switch given a value, says so", async () => {
    const missing = await cli(["console", "--persona"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--persona needs a value.");
    const zh = await cli(["evaluate", "--file"], { BOT_LANGUAGE: "zh-CN" });
    expect(zh.code).toBe(2);
    expect(zh.err).toContain("--file 需要一个值。");
    const switchValue = await cli(["personas", "list", "--json=yes"]);
    expect(switchValue.code).toBe(2);
    expect(switchValue.err).toContain("--json takes no value.");
  });

  it("a stray argument is a usage error", async () => {
    expect((await cli(["personas", "list", "extra"])).code).toBe(2);
    expect((await cli(["config", "check", "extra"])).code).toBe(2);
    expect((await cli(["evaluate", "s1", "s2"])).code).toBe(2);
  });
});

describe("--personas DIR", () => {
  it("every command reads personas from the folder given, in any position", async () => {
    const dir = path.join(tmp, "only-one");
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(root, "personas", "frozen-account.yaml"), path.join(dir, "frozen-account.yaml"));
    const before = await cli(["personas", "list", "--json"]);
    expect(JSON.parse(before.out).length).toBeGreaterThan(1);
    for (const args of [
      ["--personas", dir, "personas", "list", "--json"],
      ["personas", "list", "--json", `--personas=${dir}`],
      ["personas", "--personas", dir, "list", "--json"],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(JSON.parse(r.out).map((p: { id: string }) => p.id)).toEqual(["frozen-account"]);
    }
    const config = await cli(["config", "check", "--personas", dir]);
    expect(config.out).toContain(dir);
    const check = await cli(["personas", "check", "--personas", dir]);
    expect(check.code).toBe(0);
    expect(check.out).toContain("1 persona,");
  });

  it("a folder that does not exist, or no folder, is said so", async () => {
    const missing = await cli(["personas", "list", "--personas", path.join(tmp, "nope")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("does not exist");
    const empty = await cli(["personas", "list", "--personas"]);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("--personas needs a value.");
  });
});
