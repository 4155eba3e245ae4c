// Kill -9 in the middle of a turn, restart: the session continues, and the interrupted turn is
// answered exactly once (reliability: "no turn lost or answered twice").
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlm, schemaNameOf, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const root = path.resolve(import.meta.dirname, "../..");
let tmp: string;
let llm: FakeLlm;
let customerCalls = 0;

function consoleProcess(
  env: Record<string, string>,
  args: string[] = [],
): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (pattern: RegExp, what: string) => Promise<void>;
} {
  const child = spawn(process.execPath, [path.join(root, "bin/roleplay.js"), "console", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: tmp, LOG_LEVEL: "silent", ...env },
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return {
    child,
    output: () => out,
    async waitFor(pattern, what) {
      const until = Date.now() + 20_000;
      while (!pattern.test(out)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crash-"));
  const base = roleplayResponder({ customer: (_said, n) => `客户第${n}次回答` });
  llm = await startFakeLlm({
    respondWith: (body) => {
      // The second customer call never answers: the process is killed while waiting for it.
      if (schemaNameOf(body) === "customer_reply" && ++customerCalls === 2) return { hang: true };
      return base(body);
    },
  });
});
afterAll(async () => {
  await llm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("a crash in the middle of a turn", () => {
  it("kill -9 while the customer is answering; after a restart the turn is answered once and the session goes on", async () => {
    const db = path.join(tmp, "crash.sqlite");
    const env = {
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: "test",
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "20000",
      DATABASE_URL: `sqlite:${db}`,
      BOT_LANGUAGE: "zh-CN",
      EVAL_MIN_TRAINEE_TURNS: "1",
    };

    const first = consoleProcess(env, ["--persona", "atm-counterfeit-note"]);
    first.child.stdin.write("您好，请问发生了什么事？\n");
    await first.waitFor(/客户第1次回答/, "the first answer");
    first.child.stdin.write("我理解您的着急，请问是哪台取款机？\n");
    await llm.waitForChatRequests(2, 20_000);
    const exited = new Promise((r) => first.child.on("exit", r));
    first.child.kill("SIGKILL");
    await exited;

    // What was on disk at the crash: the second message stored, unanswered.
    const store = await openStore(`sqlite:${db}`);
    const [session] = await store.listActiveSessions();
    expect(session).toBeDefined();
    const before = await store.listTurns(session?.id ?? "");
    expect(before.map((t) => t.speaker)).toEqual(["customer", "trainee", "customer", "trainee"]);
    await store.close();

    const second = consoleProcess(env);
    await second.waitFor(/客户第\d+次回答/, "the interrupted turn's answer");
    second.child.stdin.end("/end\n");
    const code = await new Promise<number | null>((r) => second.child.on("exit", r));
    expect(code).toBe(0);
    expect(second.output()).toMatch(/\/ 100/);

    const after = await openStore(`sqlite:${db}`);
    const turns = await after.listTurns(session?.id ?? "");
    await after.close();
    expect(turns.map((t) => t.speaker)).toEqual(["customer", "trainee", "customer", "trainee", "customer"]);
    expect(turns.filter((t) => t.speaker === "trainee").map((t) => t.text)).toEqual([
      "您好，请问发生了什么事？",
      "我理解您的着急，请问是哪台取款机？",
    ]);
    // answered once: one answer after the restart, to both the interrupted turn and nothing else
    expect(second.output().match(/客户第\d+次回答/g)).toHaveLength(1);
  });
});
