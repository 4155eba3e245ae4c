// `npm start` with a Telegram token runs the bot (issue 5's "done when"): the real executable
// against the Telegram Bot API emulator and the fake LLM, stopped gracefully with SIGTERM.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import telegramTestApi from "telegram-test-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

type TelegramServerClass = typeof import("telegram-test-api/lib/telegramServer.js").TelegramServer;
const TelegramServer: TelegramServerClass =
  (telegramTestApi as unknown as { default?: TelegramServerClass }).default ??
  (telegramTestApi as unknown as TelegramServerClass);

const root = path.resolve(import.meta.dirname, "../..");
const TOKEN = "654321:START-test-token";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

let server: InstanceType<TelegramServerClass>;
let llm: FakeLlm;
let tmp: string;

beforeAll(async () => {
  server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 600 });
  await server.start();
  llm = await startFakeLlm({ respondWith: roleplayResponder() });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
});
afterAll(async () => {
  await server.stop();
  await llm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string, output: () => string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("npm start with TELEGRAM_BOT_TOKEN", () => {
  it("runs the Telegram bot: a trainee starts a roleplay and is answered, the digest is posted; SIGTERM stops it cleanly", async () => {
    const child = spawn(process.execPath, [path.join(root, "bin/roleplay.js"), "start"], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: tmp,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: server.config.apiURL,
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: "test",
        LLM_MODEL: "fake-model",
        DATABASE_URL: `sqlite:${path.join(tmp, "db.sqlite")}`,
        BOT_LANGUAGE: "en",
        LOG_LEVEL: "silent",
        // The weekly digest, made to fire every second, posts to this chat.
        REPORT_DIGEST_CRON: "* * * * * *",
        REPORT_DIGEST_TELEGRAM_CHAT_ID: "-100777",
      },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    try {
      await until(
        () => out.includes("Running: Telegram"),
        "the bot to start",
        () => out,
      );
      const client = server.getClient(TOKEN, { userId: 901, chatId: 901, firstName: "Ann", type: "private" });
      const texts = () =>
        server.storage.botMessages.filter((u) => Number(u.message.chat_id) === 901).map((u) => String(u.message.text));
      await client.sendCommand(client.makeCommand("/roleplay atm-counterfeit-note"));
      await until(
        () => texts().length >= 2,
        "the session to start",
        () => `${out}\n${texts().join("\n")}`,
      );
      await client.sendMessage(client.makeMessage("您好，我是大堂经理。"));
      await until(
        () => texts().some((t) => t.includes("听到了：您好，我是大堂经理")),
        "the customer's answer",
        () => `${out}\n${texts().join("\n")}`,
      );
      // The digest arrived in its chat with the team summary (the emulator has no sendDocument, so
      // only the text is checked here; the attachment is covered by the reports tests).
      await until(
        () => server.storage.botMessages.some((u) => String(u.message.chat_id) === "-100777"),
        "the digest",
        () => out,
      );
      const digest = server.storage.botMessages.find((u) => String(u.message.chat_id) === "-100777");
      expect(String(digest?.message.text)).toMatch(/session/i);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(out).toContain("Stopping");
  });
});
