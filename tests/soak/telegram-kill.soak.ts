// The crash soak: the real bot (`npm start`'s executable) is killed with SIGKILL at random moments,
// at least 20 times, while trainees keep writing, against the Telegram Bot API emulator with
// Telegram's delivery promises (telegram-delivery.ts), in polling and in webhook mode. Afterwards:
// no message lost, none answered twice, and every evaluation delivered within 90 s of the restart.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import telegramTestApi from "telegram-test-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlm, schemaNameOf, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";
import { startTelegramDelivery } from "../support/telegram-delivery.ts";

type TelegramServerClass = typeof import("telegram-test-api/lib/telegramServer.js").TelegramServer;
const TelegramServer: TelegramServerClass =
  (telegramTestApi as unknown as { default?: TelegramServerClass }).default ??
  (telegramTestApi as unknown as TelegramServerClass);

const root = path.resolve(import.meta.dirname, "../..");
const TOKEN = "777001:SOAK-test-token";
const KILLS = 20;
const USERS = [801, 802, 803];
const PER_SESSION = 4;

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Deterministic randomness, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

let llm: FakeLlm;
let tmp: string;

beforeAll(async () => {
  const base = roleplayResponder({ customer: (said) => `答：${said}` });
  llm = await startFakeLlm({
    // The judge takes a while, so that some kills land in the middle of an evaluation.
    respondWith: (body) => (schemaNameOf(body) === "customer_reply" ? base(body) : { delayMs: 700, then: base(body) }),
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "soak-"));
});
afterAll(async () => {
  await llm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface SoakFigures {
  kills: number;
  sent: number;
  lost: string[];
  answeredTwice: string[];
  sessionsEnded: number;
  unevaluated: number;
  evaluated: number;
  evaluationsDelivered: number;
  evaluationDelaysMs: number[];
}

async function soak(mode: "polling" | "webhook", seed: number): Promise<SoakFigures> {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 3600 });
  await server.start();
  const webhookPort = await freePort();
  const secret = "soak-secret";
  const delivery = await startTelegramDelivery(
    server as never,
    TOKEN,
    mode === "webhook" ? { url: `http://127.0.0.1:${webhookPort}/tg-soak`, secret } : undefined,
  );
  const db = path.join(tmp, `${mode}.sqlite`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: tmp,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: delivery.url,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake-model",
    LLM_TIMEOUT_MS: "5000",
    LLM_MAX_RETRIES: "1",
    DATABASE_URL: `sqlite:${db}`,
    BOT_LANGUAGE: "zh-CN",
    LOG_LEVEL: "warn",
    EVAL_MIN_TRAINEE_TURNS: "1",
    EVAL_RETRY_BASE_SECONDS: "1",
    LEASE_SECONDS: "2",
    SWEEP_SECONDS: "1",
    ...(mode === "webhook"
      ? {
          // The configuration only takes https; the emulator's side posts to the local port itself.
          TELEGRAM_WEBHOOK_URL: "https://bot.test/tg-soak",
          TELEGRAM_WEBHOOK_SECRET: secret,
          TELEGRAM_WEBHOOK_PORT: String(webhookPort),
        }
      : {}),
  };
  let child: ChildProcess | null = null;
  let output = "";
  const restarts: number[] = [];
  const launch = () => {
    child = spawn(process.execPath, [path.join(root, "bin/roleplay.js"), "start"], { cwd: root, env });
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    restarts.push(Date.now());
  };
  const rand = random(seed);

  // Trainees: each runs sessions of a few messages and /end, again and again, whether the bot is up or not.
  const sent: string[] = [];
  const endedAt: Array<{ user: number; at: number }> = [];
  let driving = true;
  const drive = async (uid: number) => {
    const client = server.getClient(TOKEN, { userId: uid, chatId: uid, firstName: `T${uid}`, type: "private" });
    let k = 0;
    while (driving) {
      await client.sendCommand(client.makeCommand("/roleplay atm-counterfeit-note"));
      await sleep(200 + rand() * 300);
      for (let i = 0; i < PER_SESSION && driving; i++) {
        const token = `t${uid}x${++k}`;
        await client.sendMessage(client.makeMessage(`请稍等，我帮您查一下 ${token}`));
        sent.push(token);
        await sleep(150 + rand() * 400);
      }
      await client.sendCommand(client.makeCommand("/end"));
      endedAt.push({ user: uid, at: Date.now() });
      await sleep(300 + rand() * 500);
    }
  };

  launch();
  const drivers = USERS.map((u) => drive(u));
  let kills = 0;
  while (kills < KILLS) {
    await sleep(400 + rand() * 2200);
    const victim = child as ChildProcess | null;
    if (!victim) break;
    const exited = new Promise((r) => victim.once("exit", r));
    victim.kill("SIGKILL");
    await exited;
    kills++;
    launch();
  }
  driving = false;
  await Promise.all(drivers);

  // The last run settles everything: all sent messages stored, every ended session evaluated.
  const settledBy = Date.now() + 90_000;
  const cards = (uid: number) =>
    server.storage.botMessages.filter(
      (m) =>
        Number(m.message.chat_id) === uid &&
        JSON.stringify((m.message as { reply_markup?: unknown }).reply_markup ?? {}).includes('"again:'),
    );
  const storedTokens = async () => {
    const store = await openStore(`sqlite:${db}`);
    try {
      const sessions = await store.listSessions({});
      const tokens = new Set<string>();
      const replies = new Map<string, number>();
      for (const s of sessions) {
        for (const t of await store.listTurns(s.id)) {
          for (const m of t.text.matchAll(/t\d+x\d+/g)) {
            if (t.speaker === "trainee") tokens.add(m[0]);
            else replies.set(m[0], (replies.get(m[0]) ?? 0) + 1);
          }
        }
      }
      return { sessions, tokens, replies };
    } finally {
      await store.close();
    }
  };
  while (Date.now() < settledBy) {
    const { sessions, tokens } = await storedTokens().catch(() => ({ sessions: [], tokens: new Set<string>() }));
    const open = sessions.filter((s) => s.status !== "active" && s.evalStatus !== "done" && s.evalStatus !== "skipped");
    const cardCount = USERS.reduce((n, u) => n + cards(u).length, 0);
    const evaluated = sessions.filter((s) => s.evalStatus === "done").length;
    if (sent.every((t) => tokens.has(t)) && open.length === 0 && cardCount >= evaluated && evaluated > 0) break;
    await sleep(500);
  }
  const finalRun = child as ChildProcess | null;
  if (finalRun) {
    const exited = new Promise((r) => finalRun.once("exit", r));
    finalRun.kill("SIGTERM");
    await exited;
  }

  const { sessions, tokens: stored, replies } = await storedTokens();
  const answered = new Map<string, number>();
  for (const m of server.storage.botMessages) {
    const text = String((m.message as { text?: string }).text ?? "");
    if (!text.includes("答：")) continue;
    for (const t of text.matchAll(/t\d+x\d+/g)) answered.set(t[0], (answered.get(t[0]) ?? 0) + 1);
  }
  // When each ended session's card arrived, counted from the later of its /end and the last restart before it.
  const delays: number[] = [];
  for (const uid of USERS) {
    const ends = endedAt.filter((e) => e.user === uid);
    for (const card of cards(uid)) {
      const at = (card as unknown as { time: number }).time;
      const end = [...ends].reverse().find((e) => e.at <= at)?.at ?? at;
      const restart = [...restarts].reverse().find((r) => r <= at) ?? end;
      delays.push(at - Math.max(end, restart));
    }
  }
  await delivery.close();
  await server.stop();
  if (stored.size === 0) process.stdout.write(`soak ${mode}: the bot said\n${output.slice(-3000)}\n`);
  return {
    kills,
    sent: sent.length,
    lost: sent.filter((t) => !stored.has(t)),
    answeredTwice: [...answered].filter(([, n]) => n > 1).map(([t]) => `${t} (${replies.get(t) ?? 0} stored)`),
    sessionsEnded: sessions.filter((s) => s.status !== "active").length,
    // Ended sessions still waiting for (or failed by) the judge; those too short to score are skipped.
    unevaluated: sessions.filter((s) => s.status !== "active" && s.evalStatus !== "done" && s.evalStatus !== "skipped")
      .length,
    evaluated: sessions.filter((s) => s.evalStatus === "done").length,
    evaluationsDelivered: delays.length,
    evaluationDelaysMs: delays,
  };
}

describe("kill -9 at random moments, again and again", () => {
  for (const [mode, seed] of [
    ["polling", 11],
    ["webhook", 29],
  ] as const) {
    it(`${mode}: ${KILLS} kills lose no message, answer none twice, and deliver every evaluation within 90 s of the restart`, async () => {
      const f = await soak(mode, seed);
      process.stdout.write(
        `soak ${mode}: ${f.kills} kills, ${f.sent} messages, ${f.lost.length} lost, ${f.answeredTwice.length} answered twice, ` +
          `${f.sessionsEnded} sessions ended, ${f.evaluated} evaluated, ${f.evaluationsDelivered} cards delivered, slowest ${Math.max(0, ...f.evaluationDelaysMs)} ms after its restart\n`,
      );
      expect(f.kills).toBeGreaterThanOrEqual(20);
      expect(f.sent).toBeGreaterThan(20);
      expect(f.lost).toEqual([]);
      expect(f.answeredTwice).toEqual([]);
      expect(f.unevaluated).toBe(0);
      expect(f.evaluated).toBeGreaterThan(0);
      expect(f.evaluationsDelivered).toBe(f.evaluated);
      expect(Math.max(0, ...f.evaluationDelaysMs)).toBeLessThanOrEqual(90_000);
    }, 240_000);
  }
});
