// The engine through the real OpenAI-compatible adapter and HTTP, against the fake LLM server:
// provider faults must never lose a turn or hang a session.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Outbound } from "../../src/roleplay/api.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";

const root = path.resolve(import.meta.dirname, "../..");
let llm: FakeLlm;
let app: App;
let events: Outbound[];
let dir: string;

const trainee = { platform: "console" as const, userId: "t1", displayName: "T" };
const place = { platform: "console" as const, scopeId: null, chatId: "c", threadId: null };
let n = 0;
const say = (text: string) => app.engine.message({ trainee, place, text, inboundKey: `m${++n}` });

beforeEach(async () => {
  llm = await startFakeLlm();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-llm-"));
  const config = loadConfig({
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake-model",
    LLM_TIMEOUT_MS: "1000",
    LLM_MAX_RETRIES: "2",
    DATABASE_URL: `sqlite:${path.join(dir, "db.sqlite")}`,
    PERSONAS_DIR: path.join(root, "personas"),
    PROMPTS_DIR: path.join(root, "prompts"),
    LOG_LEVEL: "silent",
  });
  app = await createApp(config, { watch: false });
  events = [];
  app.engine.registerOutlet("console", {
    async deliver(e) {
      events.push(e);
      return undefined;
    },
  });
});

afterEach(async () => {
  await app.close();
  await llm.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the customer model's faults", () => {
  it("three 503s: the trainee is told the customer is unavailable, the session stays active and resumable", async () => {
    const started = await app.engine.start({ trainee, place, personaId: "atm-counterfeit-note" });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    llm.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    await say("您好，请问有什么可以帮您？");
    await app.engine.idle();
    expect(llm.chatRequests).toHaveLength(3);
    expect(events.some((e) => e.type === "notice" && e.code === "customer_unavailable")).toBe(true);
    expect((await app.store.getSession(started.session.id))?.status).toBe("active");
    // the provider recovers: the next message gets an answer that saw both messages
    llm.enqueue({
      json: {
        text: "你总算理我了。",
        mood: 1,
        trigger_id: null,
        outcome: "continue",
        revealed_fact_ids: [],
        reason: "r",
      },
    });
    await say("不好意思让您久等了。");
    await app.engine.idle();
    const turns = await app.store.listTurns(started.session.id);
    expect(turns.map((t) => t.speaker)).toEqual(["customer", "trainee", "trainee", "customer"]);
    const calls = await app.store.listLlmCalls(started.session.id);
    expect(calls.filter((c) => c.outcome !== "ok").length).toBeGreaterThanOrEqual(1);
    expect(calls.at(-1)?.outcome).toBe("ok");
  });

  it("a 429 with retry-after is waited out and the turn answered", async () => {
    const started = await app.engine.start({ trainee, place, personaId: "atm-counterfeit-note" });
    if (!started.ok) throw new Error("start failed");
    llm.enqueue(
      { status: 429, headers: { "retry-after": "1" } },
      { json: { text: "说吧。", mood: 1, trigger_id: null, outcome: "continue", revealed_fact_ids: [], reason: "r" } },
    );
    await say("您好");
    await app.engine.idle();
    const [first, second] = llm.chatRequests;
    expect(second && first && second.at - first.at).toBeGreaterThanOrEqual(900);
    expect(events.filter((e) => e.type === "customer").map((e) => (e.type === "customer" ? e.text : ""))).toContain(
      "说吧。",
    );
  });

  it("a hung endpoint is cut off by the timeout and the session stays usable", async () => {
    const started = await app.engine.start({ trainee, place, personaId: "atm-counterfeit-note" });
    if (!started.ok) throw new Error("start failed");
    llm.enqueue({ hang: true });
    const t0 = Date.now();
    await say("您好");
    await app.engine.idle();
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(5000);
    expect(events.some((e) => e.type === "notice" && e.code === "customer_unavailable")).toBe(true);
    expect((await app.store.getSession(started.session.id))?.status).toBe("active");
  });
});
