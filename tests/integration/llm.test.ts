// The OpenAI-compatible adapter and `llm check`, against the fake server over real HTTP.
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { checkLlm, formatLlmCheck } from "../../src/llm/check.ts";
import { createOpenAiLlm, type LlmSettings } from "../../src/llm/openai.ts";
import { type LlmCallRecord, LlmRefusedError, LlmUnreachableError } from "../../src/llm/port.ts";
import { type FakeLlm, lastUserText, schemaNameOf, startFakeLlm } from "../support/fake-llm.ts";

const API_KEY = "sk-test-SECRET-4f9a2c";

const CustomerReply = z.object({
  reply: z.string(),
  mood: z.enum(["calm", "annoyed", "angry"]),
  wantsSupervisor: z.boolean().nullable(),
});

const messages = [
  { role: "system" as const, content: "You are an angry bank customer." },
  { role: "user" as const, content: "您好，请问有什么可以帮您？" },
];

function settingsFor(url: string, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    customer: { baseUrl: url, apiKey: API_KEY, model: "customer-model", temperature: 0.8 },
    judge: { baseUrl: url, apiKey: API_KEY, model: "judge-model", temperature: null },
    timeoutMs: 5_000,
    maxRetries: 2,
    structuredOutput: "json_schema",
    maxRetryAfterMs: 5_000,
    ...overrides,
  };
}

function memorySink() {
  const calls: LlmCallRecord[] = [];
  return { calls, recordLlmCall: async (c: LlmCallRecord) => void calls.push(c) };
}

/** Runs a call expected to fail and returns its error. */
async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeLlm({ models: ["customer-model", "judge-model"] });
});
afterEach(async () => {
  await fake.close();
});

describe("structured replies", () => {
  it("a json_schema reply is validated and its token usage, cached tokens included, is recorded", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url), sink, { retryBaseMs: 10 });
    fake.enqueue({
      json: { reply: "我的卡被吞了！", mood: "angry", wantsSupervisor: null },
      usage: { promptTokens: 1500, completionTokens: 40, cachedTokens: 1024 },
    });

    const result = await llm.structured({
      role: "customer",
      messages,
      schema: CustomerReply,
      schemaName: "customer reply",
      sessionId: "s-1",
      purpose: "customer_turn",
    });

    expect(result.value).toEqual({ reply: "我的卡被吞了！", mood: "angry", wantsSupervisor: null });
    expect(result.model).toBe("customer-model");
    expect(result.usage).toEqual({ promptTokens: 1500, completionTokens: 40, cachedPromptTokens: 1024 });

    const body = fake.chatRequests[0]?.body;
    expect(body.model).toBe("customer-model");
    expect(body.temperature).toBe(0.8);
    expect(body.response_format.type).toBe("json_schema");
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.name).toMatch(/^[A-Za-z0-9_-]+$/);
    const schema = body.response_format.json_schema.schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["reply", "mood", "wantsSupervisor"]);
    expect(fake.chatRequests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]).toMatchObject({
      sessionId: "s-1",
      role: "customer",
      purpose: "customer_turn",
      model: "customer-model",
      promptTokens: 1500,
      completionTokens: 40,
      cachedPromptTokens: 1024,
      outcome: "ok",
      error: null,
    });
  });

  it("optional fields become required-but-nullable in the strict schema, nested objects included", async () => {
    const Judge = z.object({
      scores: z.array(
        z.object({
          criterion: z.string(),
          score: z.number().int().min(1).max(5),
          note: z.string().nullable().optional(),
        }),
      ),
    });
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.enqueue({ json: { scores: [{ criterion: "empathy", score: 4, note: null }] } });
    const result = await llm.structured({ role: "judge", messages, schema: Judge, schemaName: "verdict" });
    expect(result.value.scores[0]?.score).toBe(4);
    const body = fake.chatRequests[0]?.body;
    expect(body.model).toBe("judge-model");
    expect("temperature" in body).toBe(false);
    const item = body.response_format.json_schema.schema.properties.scores.items;
    expect(item.additionalProperties).toBe(false);
    expect(item.required).toEqual(["criterion", "score", "note"]);
  });

  it("a per-request temperature overrides the configured one", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.enqueue({ json: { reply: "好", mood: "calm", wantsSupervisor: false } });
    await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r", temperature: 0 });
    expect(fake.chatRequests[0]?.body.temperature).toBe(0);
  });

  it("json_object mode asks for json with the schema in the system message and repairs invalid JSON once", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url, { structuredOutput: "json_object" }), sink);
    fake.enqueue(
      { content: "Sure! {reply: 'hm'" },
      { json: { reply: "你们银行怎么回事？", mood: "annoyed", wantsSupervisor: false } },
    );

    const result = await llm.structured({
      role: "customer",
      messages,
      schema: CustomerReply,
      schemaName: "r",
      purpose: "turn",
    });

    expect(result.value.mood).toBe("annoyed");
    const [first, repair] = fake.chatRequests;
    expect(first?.body.response_format).toEqual({ type: "json_object" });
    const system = first?.body.messages[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain("You are an angry bank customer.");
    expect(system.content).toContain("json");
    expect(system.content).toContain('"wantsSupervisor"');
    // The repair shows the model its bad output and what was wrong.
    const repairMessages = repair?.body.messages as { role: string; content: string }[];
    expect(repairMessages.at(-2)).toEqual({ role: "assistant", content: "Sure! {reply: 'hm'" });
    expect(repairMessages.at(-1)?.content).toMatch(/not valid JSON/);
    expect(sink.calls.map((c) => [c.purpose, c.outcome])).toEqual([
      ["turn", "invalid"],
      ["turn:repair", "ok"],
    ]);
    expect(result.usage.promptTokens).toBe(20);
  });

  it("a schema mismatch in json_schema mode is repaired with the validation error", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.enqueue(
      { json: { reply: "hm", mood: "furious", wantsSupervisor: null } },
      { json: { reply: "hm", mood: "angry", wantsSupervisor: null } },
    );
    const result = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(result.value.mood).toBe("angry");
    const repairText =
      (fake.chatRequests[1]?.body.messages as { content: string }[] | undefined)?.at(-1)?.content ?? "";
    expect(repairText).toContain("mood");
    expect(fake.chatRequests[1]?.body.response_format.type).toBe("json_schema");
  });

  it("empty content is treated as invalid output and repaired", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url, { structuredOutput: "json_object" }), null);
    fake.enqueue({ content: "" }, { json: { reply: "嗯", mood: "calm", wantsSupervisor: null } });
    const result = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(result.value.reply).toBe("嗯");
    expect(fake.chatRequests).toHaveLength(2);
    const echoed = (fake.chatRequests[1]?.body.messages as { role: string; content: string }[] | undefined)?.at(-2);
    expect(echoed?.role).toBe("assistant");
    expect(echoed?.content).not.toBe("");
  });

  it("output still invalid after the repair is refused as invalid_output, never returned", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url, { structuredOutput: "json_object" }), sink);
    fake.enqueue({ content: "not json" }, { json: { reply: 42 } });
    const err = await failure(llm.structured({ role: "judge", messages, schema: CustomerReply, schemaName: "r" }));
    expect(err).toBeInstanceOf(LlmRefusedError);
    expect((err as LlmRefusedError).code).toBe("invalid_output");
    expect(fake.chatRequests).toHaveLength(2);
    expect(sink.calls.map((c) => c.outcome)).toEqual(["invalid", "invalid"]);
  });

  it("a refusal from the model is a refused call", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url), sink);
    fake.enqueue({ refusal: "I can't help with that." });
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect(err).toBeInstanceOf(LlmRefusedError);
    expect((err as LlmRefusedError).code).toBe("refusal");
    expect(fake.chatRequests).toHaveLength(1);
    expect(sink.calls[0]?.outcome).toBe("refused");
  });

  it("output cut off by the token limit is refused as truncated, without a repair", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.enqueue({ content: '{"reply": "我要投诉你们', finishReason: "length" });
    const err = await failure(llm.structured({ role: "judge", messages, schema: CustomerReply, schemaName: "r" }));
    expect(err).toBeInstanceOf(LlmRefusedError);
    expect((err as LlmRefusedError).code).toBe("truncated");
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("a content filter stop is refused", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.enqueue({ content: "", finishReason: "content_filter" });
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect((err as LlmRefusedError).code).toBe("content_filter");
  });
});

describe("failures and retries", () => {
  const ok = { json: { reply: "好吧", mood: "calm", wantsSupervisor: null } };

  it("a 429 with retry-after 1 is retried after the wait and succeeds", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null, { retryBaseMs: 10 });
    fake.enqueue({ status: 429, headers: { "retry-after": "1" } }, ok);
    const result = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(result.value.mood).toBe("calm");
    const [a, b] = fake.chatRequests;
    expect(b).toBeDefined();
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("a 503 with retry-after-ms is retried after that many milliseconds", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null, { retryBaseMs: 10 });
    fake.enqueue({ status: 503, headers: { "retry-after-ms": "400" } }, ok);
    await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    const [a, b] = fake.chatRequests;
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(380);
  });

  it("a 429 asking to wait ten minutes fails at once as rate limited", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url), sink, { retryBaseMs: 10 });
    fake.enqueue({ status: 429, headers: { "retry-after": "600" } }, ok);
    const started = Date.now();
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(LlmRefusedError);
    expect((err as LlmRefusedError).status).toBe(429);
    expect((err as LlmRefusedError).code).toBe("rate_limited");
    expect(fake.chatRequests).toHaveLength(1);
    expect(sink.calls[0]).toMatchObject({ outcome: "refused", error: "rate_limited" });
  });

  it("three 503s in a row are refused after the configured retries", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url, { maxRetries: 2 }), sink, { retryBaseMs: 20 });
    fake.enqueue({ status: 503 }, { status: 503 }, { status: 503 }, ok);
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect(err).toBeInstanceOf(LlmRefusedError);
    expect((err as LlmRefusedError).status).toBe(503);
    expect((err as Error).message).toBe(`customer model: HTTP 503 from ${new URL(fake.url).host}`);
    expect(fake.chatRequests).toHaveLength(3);
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]?.outcome).toBe("refused");
  });

  it("a 500 followed by a good answer succeeds", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null, { retryBaseMs: 10 });
    fake.enqueue({ status: 500 }, ok);
    const result = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(result.value.reply).toBe("好吧");
    expect(fake.chatRequests).toHaveLength(2);
  });

  it("a 401 is not retried", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null, { retryBaseMs: 10 });
    fake.enqueue({ status: 401 }, ok);
    const err = await failure(llm.structured({ role: "judge", messages, schema: CustomerReply, schemaName: "r" }));
    expect((err as LlmRefusedError).status).toBe(401);
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("a hung endpoint is cut off by the timeout, and asked again within LLM_MAX_RETRIES", async () => {
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(fake.url, { timeoutMs: 500 }), sink, { retryBaseMs: 10 });
    fake.enqueue({ hang: true }, { hang: true }, { hang: true });
    const started = Date.now();
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(LlmUnreachableError);
    expect((err as LlmUnreachableError).timedOut).toBe(true);
    // Three attempts (the first and two retries), each cut off at 500 ms; never more.
    expect(fake.chatRequests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(4_000);
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]).toMatchObject({ outcome: "unreachable", error: "timeout" });
  });

  it("a call that timed out once is answered by the retry", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url, { timeoutMs: 400, maxRetries: 1 }), null, { retryBaseMs: 10 });
    fake.enqueue({ hang: true }, ok);
    const res = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(res.value).toBeDefined();
    expect(fake.chatRequests).toHaveLength(2);
  });

  it("with LLM_MAX_RETRIES=0 a timeout is not retried", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url, { timeoutMs: 300, maxRetries: 0 }), null);
    fake.enqueue({ hang: true }, ok);
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect((err as LlmUnreachableError).timedOut).toBe(true);
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("a reply slower than the timeout is cut off too", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url, { timeoutMs: 300, maxRetries: 0 }), null);
    // biome-ignore lint/suspicious/noThenProperty: the fake's delayed-reply shape; not a promise
    fake.enqueue({ delayMs: 2_000, then: ok });
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect((err as LlmUnreachableError).timedOut).toBe(true);
  });

  it("a caller's abort signal cancels the call", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.enqueue({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await failure(
      llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r", signal: controller.signal }),
    );
    expect(err).toBeInstanceOf(LlmUnreachableError);
    expect((err as LlmUnreachableError).timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("a refused connection is unreachable, after the retries", async () => {
    const url = await closedPortUrl();
    const sink = memorySink();
    const llm = createOpenAiLlm(settingsFor(url), sink, { retryBaseMs: 10 });
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect(err).toBeInstanceOf(LlmUnreachableError);
    expect((err as LlmUnreachableError).timedOut).toBe(false);
    expect((err as Error).message).toContain("cannot reach 127.0.0.1");
    expect(sink.calls[0]?.outcome).toBe("unreachable");
  });

  it("a local server without an API key can be used", async () => {
    const settings = settingsFor(fake.url);
    const llm = createOpenAiLlm({ ...settings, customer: { ...settings.customer, apiKey: "" } }, null);
    fake.enqueue(ok);
    const result = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(result.value.reply).toBe("好吧");
  });

  it("a call sink that never answers delays the call by a second at most", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), { recordLlmCall: () => new Promise<void>(() => {}) });
    fake.enqueue(ok);
    const started = Date.now();
    await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("a failing call sink does not fail the call", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), {
      recordLlmCall: async () => {
        throw new Error("database is locked");
      },
    });
    fake.enqueue(ok);
    const result = await llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" });
    expect(result.value.reply).toBe("好吧");
  });

  it("no error message ever contains the API key or what was sent", async () => {
    const url = await closedPortUrl();
    const secretText = "卡号 6222 0202 0000 1234 567";
    const convo = [{ role: "user" as const, content: secretText }];
    const errors: unknown[] = [];
    const llm = createOpenAiLlm(settingsFor(fake.url, { timeoutMs: 300, maxRetries: 0 }), null);
    const body = {
      error: { message: `Incorrect API key provided: ${API_KEY}; input: ${secretText}`, code: "invalid_api_key" },
    };
    fake.enqueue(
      { status: 401, body },
      { status: 400, body },
      { status: 429, body, headers: { "retry-after": "999" } },
      { refusal: secretText },
      { content: secretText, finishReason: "length" },
      { content: secretText },
      { content: secretText },
      { hang: true },
    );
    for (let i = 0; i < 7; i++) {
      errors.push(
        await failure(llm.structured({ role: "customer", messages: convo, schema: CustomerReply, schemaName: "r" })),
      );
    }
    const down = createOpenAiLlm(settingsFor(url, { maxRetries: 0 }), null);
    errors.push(
      await failure(down.structured({ role: "judge", messages: convo, schema: CustomerReply, schemaName: "r" })),
    );
    expect(errors).toHaveLength(8);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      const text = `${(err as Error).message} ${String((err as Error).stack)} ${JSON.stringify(err)}`;
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain("6222");
    }
  });
});

describe("llm check", () => {
  it("reports each role reachable, its model found and json_schema supported", async () => {
    fake.respondWith({ json: { ok: true } });
    const report = await checkLlm(settingsFor(fake.url));
    expect(report.ok).toBe(true);
    expect(report.roles.map((r) => r.role)).toEqual(["customer", "judge"]);
    for (const role of report.roles) {
      expect(role).toMatchObject({ reachable: true, modelFound: true, jsonSchema: true, error: null });
      expect(role.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(fake.requests.some((r) => r.method === "GET" && r.path === "/v1/models")).toBe(true);
    const text = formatLlmCheck(report, "en");
    expect(text).toContain("customer-model");
    expect(formatLlmCheck(report, "zh-CN")).toContain("judge-model");
  });

  it("reports json_schema unsupported when the provider rejects that response_format", async () => {
    fake.respondWith((body) =>
      body.response_format?.type === "json_schema"
        ? {
            status: 400,
            body: {
              error: { message: "response_format type json_schema is unavailable", code: "invalid_request_error" },
            },
          }
        : { json: { ok: true } },
    );
    const report = await checkLlm(settingsFor(fake.url));
    for (const role of report.roles) {
      expect(role.reachable).toBe(true);
      expect(role.jsonSchema).toBe(false);
      expect(role.jsonObject).toBe(true);
    }
    expect(report.ok).toBe(false);
    expect(formatLlmCheck(report, "en")).toContain("LLM_STRUCTURED_OUTPUT=json_object");
    // With json_object configured, the same provider is fine.
    const relaxed = await checkLlm(settingsFor(fake.url, { structuredOutput: "json_object" }));
    expect(relaxed.ok).toBe(true);
  });

  it("reports a model the provider does not know", async () => {
    fake.setModels(["other-model"]);
    fake.respondWith({
      status: 404,
      body: { error: { message: "The model does not exist", code: "model_not_found" } },
    });
    const report = await checkLlm(settingsFor(fake.url));
    expect(report.ok).toBe(false);
    for (const role of report.roles) {
      expect(role.reachable).toBe(true);
      expect(role.modelFound).toBe(false);
    }
  });

  it("reports a rejected key, masking the key even when the provider echoes it", async () => {
    fake.respondWith({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${API_KEY}.`, code: "invalid_api_key" } },
    });
    const report = await checkLlm(settingsFor(fake.url));
    expect(report.ok).toBe(false);
    expect(report.roles[0]).toMatchObject({ reachable: true, problem: "auth" });
    expect(report.roles[0]?.error).toContain("HTTP 401");
    expect(JSON.stringify(report)).not.toContain(API_KEY);
    expect(formatLlmCheck(report, "en")).toContain("CUSTOMER_API_KEY");
  });

  it("reports an unreachable endpoint without leaking the key", async () => {
    const url = await closedPortUrl();
    const report = await checkLlm(settingsFor(url, { timeoutMs: 1_000 }));
    expect(report.ok).toBe(false);
    for (const role of report.roles) {
      expect(role.reachable).toBe(false);
      expect(role.error).not.toBeNull();
    }
    expect(JSON.stringify(report)).not.toContain(API_KEY);
    const text = formatLlmCheck(report, "zh-CN");
    expect(text).not.toContain(API_KEY);
    expect(text).toContain("CUSTOMER_BASE_URL");
    expect(text).toContain("无法连接");
  });
});

describe("the fake LLM server other tests rely on", () => {
  it("answers from a function of the request once the queue is empty, and records what was sent", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url), null);
    fake.respondWith((body) => ({
      json: { reply: `echo ${lastUserText(body)} via ${schemaNameOf(body)}`, mood: "calm", wantsSupervisor: null },
    }));
    const result = await llm.structured({
      role: "customer",
      messages,
      schema: CustomerReply,
      schemaName: "customer_reply",
    });
    expect(result.value.reply).toBe("echo 您好，请问有什么可以帮您？ via customer_reply");
    await fake.waitForChatRequests(1, 100);
    expect(fake.unexpected).toBe(0);
  });

  it("an unscripted call fails visibly and is counted", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url, { maxRetries: 0 }), null);
    const err = await failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    expect(err).toBeInstanceOf(LlmRefusedError);
    expect(fake.unexpected).toBe(1);
  });

  it("close releases a hanging request", async () => {
    const llm = createOpenAiLlm(settingsFor(fake.url, { timeoutMs: 10_000, maxRetries: 0 }), null);
    fake.enqueue({ hang: true });
    const pending = failure(llm.structured({ role: "customer", messages, schema: CustomerReply, schemaName: "r" }));
    await fake.waitForChatRequests(1);
    const started = Date.now();
    await fake.close();
    const err = await pending;
    expect(err).toBeInstanceOf(LlmUnreachableError);
    expect(Date.now() - started).toBeLessThan(2_000);
    fake = await startFakeLlm(); // afterEach closes it again
  });

  it("a model list of null answers GET /models with 404, which llm check tolerates", async () => {
    fake.setModels(null);
    fake.respondWith({ json: { ok: true } });
    const report = await checkLlm(settingsFor(fake.url));
    expect(report.ok).toBe(true);
    expect(report.roles[0]?.modelFound).toBe(true);
  });
});

/** A base URL on a local port nobody listens on. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
