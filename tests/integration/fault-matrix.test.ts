// The fault matrix: every way the customer's model can fail (refusal codes, rate limits, a hang, and
// every kind of unusable answer) leaves the trainee's turn stored, the trainee told, and the session
// answering again once the model is back. Through the real adapter over HTTP to the fake server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Outbound } from "../../src/roleplay/api.ts";
import { type FakeLlm, type FakeReply, startFakeLlm } from "../support/fake-llm.ts";

const root = path.resolve(import.meta.dirname, "../..");
const completion = (message: Record<string, unknown> | null) =>
  JSON.stringify({
    id: "chatcmpl-x",
    object: "chat.completion",
    created: 0,
    model: "fake-model",
    choices: message === null ? [] : [{ index: 0, message, finish_reason: "stop", logprobs: null }],
  });

/** Each fault, answered to every attempt while the model is "down". */
const FAULTS: Array<[string, FakeReply, "customer_unavailable" | "customer_rate_limited"]> = [
  ["503", { status: 503 }, "customer_unavailable"],
  ["429 with retry-after", { status: 429, headers: { "retry-after": "1" } }, "customer_rate_limited"],
  ["a hang past the timeout", { hang: true }, "customer_unavailable"],
  ["truncated JSON", { content: '{"text": "你们这', finishReason: "stop" }, "customer_unavailable"],
  ["JSON off the schema", { json: { answer: "好的", happy: true } }, "customer_unavailable"],
  ["empty choices", { raw: completion(null) }, "customer_unavailable"],
  [
    "an HTML body",
    { raw: "<html><body><h1>502 Bad Gateway</h1></body></html>", contentType: "text/html" },
    "customer_unavailable",
  ],
  [
    "an HTML error page",
    { raw: "<html><body>upstream error</body></html>", status: 502, contentType: "text/html" },
    "customer_unavailable",
  ],
  ["null content", { raw: completion({ role: "assistant", content: null }) }, "customer_unavailable"],
  [
    "401",
    { status: 401, body: { error: { message: "Incorrect API key", code: "invalid_api_key" } } },
    "customer_unavailable",
  ],
];

let llm: FakeLlm;
let app: App;
let dir: string;
let events: Outbound[] = [];
let fault: FakeReply | null = null;
let n = 0;

beforeAll(async () => {
  llm = await startFakeLlm({
    respondWith: (body) =>
      fault ?? {
        json: {
          text: `回答${(body?.messages ?? []).length}`,
          mood: 1,
          trigger_id: null,
          outcome: "continue",
          revealed_fact_ids: [],
          reason: "r",
        },
      },
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-matrix-"));
  const config = loadConfig({
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake-model",
    LLM_TIMEOUT_MS: "1000",
    LLM_MAX_RETRIES: "1",
    LLM_MAX_RETRY_AFTER_MS: "1500",
    DATABASE_URL: `sqlite:${path.join(dir, "db.sqlite")}`,
    PERSONAS_DIR: path.join(root, "personas"),
    PROMPTS_DIR: path.join(root, "prompts"),
    LOG_LEVEL: "silent",
  });
  app = await createApp(config, { watch: false });
  app.engine.registerOutlet("console", {
    async deliver(e) {
      events.push(e);
      return undefined;
    },
  });
});

afterAll(async () => {
  await app.close();
  await llm.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the fault matrix of the customer's model", () => {
  it.each(FAULTS)(
    "%s: the turn is stored, the trainee told, and the session answers again once the model is back",
    async (_name, reply, notice) => {
      const trainee = { platform: "console" as const, userId: `t${++n}`, displayName: "T" };
      const place = { platform: "console" as const, scopeId: null, chatId: `c${n}`, threadId: null };
      const started = await app.engine.start({ trainee, place, personaId: "atm-counterfeit-note" });
      if (!started.ok) throw new Error("start failed");
      const id = started.session.id;
      events = [];

      fault = reply;
      const said = await app.engine.message({ trainee, place, text: "您好，请问出了什么事？", inboundKey: `a${n}` });
      expect(said.status).toBe("handled");
      await app.engine.idle();
      const during = await app.store.listTurns(id);
      expect(during.at(-1)).toMatchObject({ speaker: "trainee", text: "您好，请问出了什么事？" });
      expect(events.filter((e) => e.type === "notice").map((e) => (e.type === "notice" ? e.code : ""))).toEqual([
        notice,
      ]);
      expect(events.some((e) => e.type === "customer")).toBe(false);
      expect((await app.store.getSession(id))?.status).toBe("active");

      fault = null;
      await app.engine.message({ trainee, place, text: "不好意思，让您久等了。", inboundKey: `b${n}` });
      await app.engine.idle();
      const after = await app.store.listTurns(id);
      expect(after.slice(-3).map((t) => t.speaker)).toEqual(["trainee", "trainee", "customer"]);
      expect(events.filter((e) => e.type === "customer")).toHaveLength(1);
    },
  );
});
