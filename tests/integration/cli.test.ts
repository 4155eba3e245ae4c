// The real executable, spawned as a user would run it, against the fake LLM server.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonSchemas } from "../../src/cli.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/roleplay.js");

function run(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only what the test gives: no developer .env or shell variables leak in.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: os.tmpdir(),
      LOG_LEVEL: "silent",
      ...opts.env,
    };
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd ?? root,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("roleplay personas", () => {
  it("check passes on the shipped library", async () => {
    const r = await run(["personas", "check"], { env: { BOT_LANGUAGE: "en" } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/All files are valid: \d+ personas, 2 rubrics/);
    expect(r.code).toBe(0);
  });

  it("list --json shows at least 12 zh-CN personas (3 each angry, confused, suspicious) and 6 English ones", async () => {
    const r = await run(["personas", "list", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ language: string; archetype: string; difficulty: string; id: string }>;
    const zh = list.filter((p) => p.language === "zh-CN");
    expect(zh.length).toBeGreaterThanOrEqual(12);
    for (const a of ["angry", "confused", "suspicious"])
      expect(zh.filter((p) => p.archetype === a).length).toBeGreaterThanOrEqual(3);
    expect(new Set(zh.map((p) => p.archetype)).size).toBeGreaterThanOrEqual(5);
    expect(list.filter((p) => p.language === "en").length).toBeGreaterThanOrEqual(6);
  });

  it("a typo'd key in a copy of the folder fails the check with file, line and key", async () => {
    const dir = path.join(tmp, "personas-copy");
    fs.cpSync(path.join(root, "personas"), dir, { recursive: true });
    const file = path.join(dir, "atm-counterfeit-note.yaml");
    const text = fs.readFileSync(file, "utf8");
    const line = text.split("\n").findIndex((l) => l.startsWith("situation:")) + 1;
    fs.writeFileSync(file, text.replace(/^situation:/m, "situaton:"));
    const r = await run(["personas", "check", dir], { env: { BOT_LANGUAGE: "en" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`atm-counterfeit-note.yaml:${line}: [situaton] unknown field "situaton"`);
    expect(r.stderr).toContain('did you mean "situation"');
  });

  it("a broken prompt template fails the check with the file and the placeholder", async () => {
    const prompts = path.join(tmp, "prompts-copy");
    fs.cpSync(path.join(root, "prompts"), prompts, { recursive: true });
    const file = path.join(prompts, "customer.md");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("{{situation}}", "{{situaton}}"));
    fs.rmSync(path.join(prompts, "judge.md"));
    const r = await run(["personas", "check"], { env: { PROMPTS_DIR: prompts, BOT_LANGUAGE: "en" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("customer.md: unknown placeholder {{situaton}} (a typo?)");
    expect(r.stderr).toContain("customer.md: the placeholder {{situation}} is missing");
    expect(r.stderr).toContain("judge.md: the file is missing");
    // and no session can start on it
    const start = await run(["start"], {
      cwd: tmp,
      env: { PROMPTS_DIR: prompts, LLM_API_KEY: "k", LLM_MODEL: "m", BOT_LANGUAGE: "en" },
    });
    expect(start.code).toBe(1);
    expect(start.stderr).toContain("unknown placeholder {{situaton}}");
  });

  it("show prints the compiled customer prompt without placeholders", async () => {
    const r = await run(["personas", "show", "atm-counterfeit-note"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("王先生");
    expect(r.stdout).not.toMatch(/\{\{\w+\}\}/);
  });

  it("show of an unknown id is a user error; a missing argument a usage error", async () => {
    expect((await run(["personas", "show", "nope"])).code).toBe(1);
    expect((await run(["personas", "show"])).code).toBe(2);
    expect((await run(["personas", "frobnicate"])).code).toBe(2);
    expect((await run(["nonsense"])).code).toBe(2);
  });

  it("the committed JSON Schemas match the zod schemas", () => {
    for (const s of jsonSchemas(path.join(root, "personas"), path.join(root, "prompts"))) {
      expect(fs.readFileSync(s.file, "utf8"), `${path.relative(root, s.file)} is stale: run npm run schema`).toBe(
        s.text,
      );
    }
  });
});

describe("configuration", () => {
  it("names every wrong variable and never prints a secret", async () => {
    const r = await run(["config", "check"], {
      env: {
        LLM_API_KEY: "sk-very-secret-value",
        LLM_TIMEOUT_MS: "soon",
        TELEGRAM_BOT_TOKEN: "not-a-token-secret",
        BOT_LANGUAGE: "en",
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("LLM_TIMEOUT_MS");
    expect(r.stderr).toContain("TELEGRAM_BOT_TOKEN");
    expect(r.stderr + r.stdout).not.toContain("sk-very-secret-value");
    expect(r.stderr + r.stdout).not.toContain("not-a-token-secret");
  });

  it("--help works for every command even when the configuration is broken", async () => {
    for (const command of [
      "start",
      "console",
      "personas",
      "config",
      "llm",
      "evaluate",
      "report",
      "discord",
      "trainee",
      "db",
    ]) {
      const r = await run([command, "--help"], { env: { LLM_TIMEOUT_MS: "not-a-number", BOT_LANGUAGE: "en" } });
      expect(r.code, `${command} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout, command).toMatch(/Usage|usage|roleplay/);
    }
  });

  it("with nothing configured, npm start explains the choices and exits 1", async () => {
    const r = await run(["start"], { cwd: tmp, env: { BOT_LANGUAGE: "en" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No language model is configured");
    expect(r.stderr).toContain("LLM_BASE_URL=http://localhost:11434/v1");
    const zh = await run(["start"], { cwd: tmp, env: { BOT_LANGUAGE: "zh-CN" } });
    expect(zh.stderr).toContain("尚未配置语言模型");
  });
});

describe("a configured model that cannot be used", () => {
  it("unreachable: npm start says so with the choices and exits 1, in the user's language", async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    const env = {
      LLM_BASE_URL: `http://127.0.0.1:${closed}/v1`,
      LLM_API_KEY: "k",
      LLM_MODEL: "m",
      PROMPTS_DIR: path.join(root, "prompts"),
    };
    const en = await run(["start"], { cwd: tmp, env: { ...env, BOT_LANGUAGE: "en" } });
    expect(en.code).toBe(1);
    expect(en.stderr).toContain(`The language model at 127.0.0.1:${closed} cannot be reached (ECONNREFUSED)`);
    expect(en.stderr).toContain("LLM_BASE_URL=http://localhost:11434/v1");
    const zh = await run(["start"], { cwd: tmp, env: { ...env, BOT_LANGUAGE: "zh-CN" } });
    expect(zh.stderr).toContain("无法连接");
  });

  it("a refused API key: npm start says which variable to check and exits 1", async () => {
    const server = await import("node:http");
    // An endpoint that refuses every key, as a provider does with a wrong one.
    const auth = server.createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"message":"bad key"}}');
    });
    await new Promise<void>((r) => auth.listen(0, "127.0.0.1", () => r()));
    const port = (auth.address() as net.AddressInfo).port;
    try {
      const r = await run(["start"], {
        cwd: tmp,
        env: {
          LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
          LLM_API_KEY: "wrong-key",
          LLM_MODEL: "m",
          PROMPTS_DIR: path.join(root, "prompts"),
          BOT_LANGUAGE: "en",
        },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("refused the API key (HTTP 401)");
      expect(r.stderr).not.toContain("wrong-key");
    } finally {
      auth.close();
    }
  });
});

describe("output to a reader that stops early", () => {
  it("a closed pipe ends the command quietly (as `personas show ID | head` does)", async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "personas", "show", "atm-counterfeit-note"], {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      // The reader goes away before the first line is written.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("roleplay console", () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm({ respondWith: roleplayResponder() });
  });
  afterAll(() => llm.close());

  it("a piped session runs to the evaluation and exits 0, and no card or ID number leaves the process", async () => {
    const db = path.join(tmp, "console.sqlite");
    const r = await run(["console", "--persona", "atm-counterfeit-note"], {
      env: {
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: "test-key",
        LLM_MODEL: "fake-model",
        DATABASE_URL: `sqlite:${db}`,
        BOT_LANGUAGE: "zh-CN",
        EVAL_MIN_TRAINEE_TURNS: "1",
      },
      input:
        "您好，我是大堂经理，请问遇到什么问题了？\n您的卡号6222021234567890123和身份证110105199003071234我记下了。\n/end\n",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("王先生:");
    expect(r.stdout).toContain("听到了：您好，我是大堂经理");
    expect(r.stdout).toMatch(/\/ 100/);
    const sent = JSON.stringify(llm.requests);
    expect(sent).not.toContain("6222021234567890123");
    expect(sent).not.toContain("110105199003071234");
    const dbBytes =
      fs.readFileSync(db).toString("utf8") +
      (fs.existsSync(`${db}-wal`) ? fs.readFileSync(`${db}-wal`).toString("utf8") : "");
    expect(dbBytes).not.toContain("6222021234567890123");
    expect(dbBytes).not.toContain("110105199003071234");
    expect(dbBytes).toContain("您好，我是大堂经理");
  });
});
