// The terminal practice as a trainee meets it: the real executable in a pseudo-terminal (util-linux
// `script`) and piped, against the fake model server.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlm, schemaNameOf, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/roleplay.js");
const hasScript = spawnSync("script", ["--version"]).status === 0;

// Cursor moves and colours that readline writes on a terminal, removed to read the screen's text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is what is read here
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\r/g;

let tmp: string;
let llm: FakeLlm;
let judgeFails = false;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "console-"));
  const play = roleplayResponder();
  llm = await startFakeLlm({
    respondWith: (body) =>
      judgeFails && schemaNameOf(body) === "evaluation"
        ? { status: 500, body: { error: { message: `{"detail":"${"x".repeat(600)}"}` } } }
        : play(body),
  });
});
afterAll(async () => {
  await llm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function envFor(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: tmp,
    TERM: "xterm",
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test-key",
    LLM_MODEL: "fake-model",
    DATABASE_URL: `sqlite:${path.join(tmp, name, "roleplay.sqlite")}`,
    BOT_LANGUAGE: "en",
    ...extra,
  };
}

function piped(name: string, input: string, extra: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "console", "--persona", "atm-counterfeit-note-en"], {
      cwd: root,
      env: envFor(name, extra),
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

/** Resolves when the screen's text (escape sequences removed) matches. */
function screenShows(read: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (pattern.test(read().replace(ANSI, ""))) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`the screen never showed ${pattern}:\n${read().replace(ANSI, "")}`));
      }
    }, 100);
  });
}

describe("the terminal practice", () => {
  it.skipIf(!hasScript)("in a terminal, every line the trainee types stays on the screen", async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} console --persona atm-counterfeit-note-en`;
    const child: ChildProcessWithoutNullStreams = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: root,
      env: envFor("tty"),
    });
    let screen = "";
    child.stdout.on("data", (d) => (screen += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const lines = ["Good morning, I am the duty manager. What happened?", "I will log both notes for you now."];
      await screenShows(() => screen, /You: $/m);
      for (const [i, line] of lines.entries()) {
        child.stdin.write(`${line}\r`);
        // The customer's echo of the line (the fake model) means the turn went through.
        await screenShows(() => screen, new RegExp(`I heard: ${line.slice(0, 20)}[\\s\\S]*You: $`, "m"));
        expect(screen.replace(ANSI, ""), `line ${i + 1}`).toContain(`You: ${line}`);
      }
      child.stdin.write("/end\r");
      await screenShows(() => screen, /\/ 100/);
      expect(await closed).toBe(0);
      const text = screen.replace(ANSI, "");
      for (const line of lines) expect(text).toContain(`You: ${line}`);
      expect(text).not.toContain('"level"');
    } finally {
      child.kill();
    }
  });

  it("piped, the trainee's line is shown as it was kept (masked) and no terminal control gets through", async () => {
    const r = await piped(
      "masked",
      "Hello, my card is 4111 1111 1111 1111 \u001b[2J\u001b]0;owned\u0007and \u202eesrever\u202c\nI will log the notes for you now.\n/end\n",
    );
    expect(r.code).toBe(0);
    expect(r.output).not.toContain("4111 1111 1111 1111");
    expect(r.output).not.toMatch(/[\u001b\u0007\u202e]/);
    const shown = /^You: Hello, my card is (.*)$/m.exec(r.output)?.[1] ?? "";
    expect(shown).not.toContain("4111");
    expect(shown).toContain("and esrever");
    expect(r.output).toContain("You: I will log the notes for you now.");
    expect(r.output).toMatch(/\/ 100/);
  });

  it("when the judge fails, no log line reaches the screen; the command that finishes the evaluation is printed", async () => {
    judgeFails = true;
    try {
      const r = await piped(
        "judge-down",
        "Good morning, I am the duty manager.\nI will log both notes for you now.\n/end\n",
        // Few attempts: the retries end in seconds.
        { EVAL_MAX_ATTEMPTS: "2", LOG_LEVEL: "info" },
      );
      expect(r.code).toBe(0);
      expect(r.output).not.toContain("{");
      expect(r.output).not.toContain("xxxxxxxxxx");
      expect(r.output).not.toMatch(/sent automatically|will be sent/i);
      const id = /npx roleplay evaluate ([0-9a-f-]{36}) --rerun/.exec(r.output)?.[1];
      expect(id, r.output).toBeDefined();
      const log = fs.readFileSync(path.join(tmp, "judge-down", "roleplay.log"), "utf8");
      expect(log).toContain("evaluation_judge_failed");
    } finally {
      judgeFails = false;
    }
  });
});
