// Adding a platform touches only its folder and one line in the registry: the made-up "Loopchat"
// platform (tests/support/loopchat/, shaped like a folder under src/platforms/) is registered with
// its one line, then the real start-up (`roleplay start`, src/cli/start.ts) runs it against the
// Loopchat service and the fake OpenAI-compatible server: a whole session from /start through
// turns and /end to the evaluation card, the digest posted to its room within its byte limit, and
// the commands that name platforms (config check, report --scope, trainee delete) knowing it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { createCliContext } from "../../src/cli/context.ts";
import { startInstallation } from "../../src/cli/start.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { platformById, registerPlatform } from "../../src/platforms/registry.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";
import { loopchatPlatform } from "../support/loopchat/platform.ts";
import { freePort, type LoopchatService, startLoopchatService } from "../support/loopchat/service.ts";

let unregister: () => void;
let llm: FakeLlm;
let service: LoopchatService;
let env: Record<string, string>;
let dir: string;

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c: Buffer) => {
    text += c.toString("utf8");
  });
  return { stream, text: () => text };
}

/** Runs a command line with the test's environment; its exit code and what it printed. */
async function cli(argv: string[]) {
  const out = capture();
  const err = capture();
  const code = await main(argv, createCliContext(env, { stdout: out.stream, stderr: err.stream }));
  return { code, out: out.text(), err: err.text() };
}

beforeAll(async () => {
  // The platform's one line in the registry.
  unregister = registerPlatform(loopchatPlatform);
  llm = await startFakeLlm({ respondWith: roleplayResponder() });
  service = await startLoopchatService();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopchat-"));
  env = {
    DATABASE_URL: `sqlite:${path.join(dir, "db.sqlite")}`,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake",
    LLM_MAX_RETRIES: "0",
    BOT_LANGUAGE: "en",
    LOG_LEVEL: "silent",
    TIME_ZONE: "Asia/Shanghai",
    LOOPCHAT_API_URL: service.url,
    LOOPCHAT_PORT: String(await freePort()),
    LOOPCHAT_DIGEST_ROOM: "managers",
    // Every second (croner reads a seconds field), so the test sees a digest without waiting a week.
    REPORT_DIGEST_CRON: "* * * * * *",
  };
  service.connect(`http://127.0.0.1:${env.LOOPCHAT_PORT}`);
});

afterAll(async () => {
  unregister?.();
  await service?.close();
  await llm?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a platform added by its folder and one registry line", () => {
  it("is known, validated and configured through its own variables", () => {
    expect(platformById("loopchat")).toBe(loopchatPlatform);
    const config = loadConfig(env);
    expect(config.platforms.loopchat).toEqual({
      apiUrl: service.url,
      port: Number(env.LOOPCHAT_PORT),
      digestRoom: "managers",
    });
    expect(config.digest?.destinations).toEqual([{ platform: "loopchat", destination: "managers" }]);
    // Its variables are checked by the central configuration, with its own messages.
    expect(() => loadConfig({ ...env, LOOPCHAT_PORT: "99999" })).toThrow(ConfigError);
    // A second platform may not take its id or its variables.
    expect(() => registerPlatform({ ...loopchatPlatform })).toThrow(/already registered/);
    expect(() => registerPlatform({ ...loopchatPlatform, id: "loopchat-2" })).toThrow(/LOOPCHAT_API_URL/);
    expect(() => registerPlatform({ ...loopchatPlatform, id: "Loop Chat", variables: {} })).toThrow(/platform id/);
  });

  // Generous waits: the whole installation runs here, and the suite shares two cores.
  it("runs a whole session through the one start-up, delivers the card, and posts the digest within its byte limit", {
    timeout: 180_000,
  }, async () => {
    let stop: () => void = () => {};
    const stopSignal = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const out = capture();
    const err = capture();
    const ctx = createCliContext(env, { stdout: out.stream, stderr: err.stream });
    const persona = ctx
      .loadCatalogue()
      .personas()
      .find((p) => p.language === "en" && p.who_opens === "customer" && p.opening.length > 0);
    if (!persona) throw new Error("the repository needs an English persona whose customer opens");
    const running = startInstallation(ctx, { stopSignal });
    try {
      await waitUntil(
        () => out.text().includes("Loopchat"),
        () => `start-up: ${err.text()}`,
      );
      expect(out.text()).toMatch(/Running: Loopchat\./);

      const lin = { id: "u-7", name: "Lin" };
      await service.say(lin, "room-1", `/start ${persona.id}`);
      await service.waitFor("the announcement", (m) => m.room === "room-1" && m.text.includes(persona.name));
      await service.waitFor(
        "the customer's opening",
        (m) => m.room === "room-1" && m.text.startsWith(`${persona.name}: `),
      );

      for (const line of [
        "Hello, I am sorry to hear that. What happened?",
        "I understand. I will check it right now.",
      ]) {
        await service.say(lin, "room-1", line);
        await service.waitFor(`the answer to "${line}"`, (m) => m.text.includes(`I heard: ${line.slice(0, 20)}`));
      }
      await service.say(lin, "room-1", "/end");
      const card = await service.waitFor(
        "the evaluation card",
        (m) => m.room === "room-1" && /\d+(\.\d+)?\s*\/\s*\d+/.test(m.text) && m.text.includes("scripted"),
      );
      expect(Buffer.byteLength(card.text, "utf8")).toBeLessThanOrEqual(2048);

      // Digests before the session said there was none; one after it counts it.
      const digest = await service.waitFor(
        "a digest with the session",
        (m) => m.room === "managers" && /Sessions: 1 started/.test(m.text),
        60_000,
      );
      expect(Buffer.byteLength(digest.text, "utf8")).toBeLessThanOrEqual(2048);
      expect(digest.files[0]?.name).toMatch(/\.html$/);
      expect(digest.files[0]?.content.toString("utf8")).toContain("<html");

      const store = await ctx.openStore();
      try {
        const [session] = await store.listSessions({ traineeId: "loopchat:u-7" });
        expect(session?.place).toEqual({ platform: "loopchat", scopeId: "room-1", chatId: "room-1", threadId: null });
        expect(session?.evalStatus).toBe("done");
      } finally {
        await store.close();
      }
    } finally {
      stop();
    }
    expect(await running).toBe(0);
  });

  it("start --platform runs only the platform named, and refuses one that is not configured", {
    timeout: 120_000,
  }, async () => {
    const started: string[] = [];
    const unregisterOther = registerPlatform({
      ...loopchatPlatform,
      id: "otherchat",
      name: "Otherchat",
      variables: {},
      settings: () => ({}),
      digest: undefined,
      start: async () => {
        started.push("otherchat");
        return { stop: async () => {} };
      },
    });
    try {
      const unknown = await cli(["start", "--platform", "wechat"]);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('"wechat" is not configured');
      const out = capture();
      const ctx = createCliContext(
        { ...env, REPORT_DIGEST_CRON: "" },
        { stdout: out.stream, stderr: capture().stream },
      );
      expect(await startInstallation(ctx, { only: "otherchat", stopSignal: Promise.resolve() })).toBe(0);
      expect(started).toEqual(["otherchat"]);
      expect(out.text()).toMatch(/Running: Otherchat\./);
    } finally {
      unregisterOther();
    }
  });

  it("is named by the commands that list platforms: config check, report --scope, trainee delete", {
    timeout: 120_000,
  }, async () => {
    const config = await cli(["config", "check"]);
    expect(config.code).toBe(0);
    expect(config.out).toMatch(/Chat platforms: Loopchat/);

    const help = await cli(["report", "--help"]);
    expect(help.out).toContain("loopchat:ROOM_ID");
    expect(help.out).toContain("Loopchat room");
    const report = await cli(["report", "--scope", "loopchat:room-1", "--format", "json", "--since", "7d"]);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.out).totals.started).toBe(1);
    const other = await cli(["report", "--scope", "loopchat:room-2", "--format", "json", "--since", "7d"]);
    expect(JSON.parse(other.out).totals.started).toBe(0);
    const unknown = await cli(["report", "--scope", "wechat:1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("loopchat:ROOM_ID");

    expect((await cli(["trainee", "delete", "loopchat:u-7"])).code).toBe(0);
    const again = await cli(["trainee", "delete", "loopchat:u-7"]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("loopchat:u-1");
    expect((await cli(["trainee", "delete", "wechat:u-7"])).code).toBe(2);
  });
});

async function waitUntil(test: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
