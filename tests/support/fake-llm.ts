// An OpenAI-compatible fake LLM server over real HTTP, for integration tests of anything that talks
// to a model through the adapter (src/llm/openai.ts): the engine, the judge, the platform bots.
//
// Like the Vercel AI SDK's MockLanguageModel, it answers from a value, a list or a function, and it
// records every request it received (headers included) so tests can check what was sent.
//
//   const llm = await startFakeLlm({ models: ["gpt-test"] });
//   // llm.url is the base URL to configure, e.g. "http://127.0.0.1:41234/v1"
//   llm.enqueue({ json: { reply: "你好", mood: "angry" } });             // next call, once
//   llm.enqueue({ status: 429, headers: { "retry-after": "1" } }, { json: {...} }); // a list
//   llm.respondWith((body) => ({ json: {...} }));   // default when the queue is empty (or a Reply)
//   ...
//   llm.requests          // every request, in order: { method, path, headers, body, at }
//   llm.chatRequests      // only POST /chat/completions
//   await llm.waitForChatRequests(2);   // resolves once two completions have arrived
//   await llm.close();    // also releases hanging requests
//
// In a responder, `schemaNameOf(body)` tells which structured reply is asked for (json_schema mode)
// and `lastUserText(body)` what the trainee (or the repair prompt) said last.
//
// A Reply (FakeReply) is one of:
//   { json: value }                       content = JSON.stringify(value), finish_reason "stop"
//   { content: "text", finishReason? }    raw content; finishReason "stop" | "length" | "content_filter"
//   { refusal: "I can't help with that" } message.refusal set, content null
//   { status: 503, body?, headers? }      an HTTP error; body defaults to an OpenAI-style error object
//   { hang: true }                        never answers (until the client gives up or close())
//   { raw: "<html>…", status?, contentType? }  any body as it is (an HTML error page, a completion
//                                         with no choices or null content), default status 200
//   { delayMs: 2000, then: Reply }        answers `then` after a delay
// The content replies also take `usage?: { promptTokens?, completionTokens?, cachedTokens? } | null`
// (merged over the defaults 10/5/0; null leaves usage out of the response) and `model?` (the model
// named in the response; defaults to the requested one).
//
// With an empty queue and no default responder the fake answers HTTP 500 with a message saying so,
// and counts it in `unexpected`, so a test that forgot to script a call fails visibly.
//
// GET /v1/models lists the `models` option (default ["fake-model"]); `models: null` makes it 404,
// as some compatible servers do. Those requests are recorded too.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUsage {
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
}

interface ContentExtras {
  usage?: FakeUsage | null;
  model?: string;
}

export type FakeReply =
  | ({ json: unknown } & ContentExtras)
  | ({ content: string; finishReason?: "stop" | "length" | "content_filter" } & ContentExtras)
  | ({ refusal: string } & ContentExtras)
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { raw: string; status?: number; contentType?: string }
  | { delayMs: number; then: FakeReply };

// biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the client sent
export type FakeRequestBody = any;

export interface FakeRequest {
  method: string;
  /** Path including the /v1 prefix, e.g. "/v1/chat/completions". */
  path: string;
  /** Lower-cased header names, as Node reports them (authorization included). */
  headers: Record<string, string>;
  /** Parsed JSON body; null for GET or a body that is not JSON. */
  body: FakeRequestBody;
  /** Date.now() when the request arrived. */
  at: number;
}

export type FakeResponder = (body: FakeRequestBody, request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeLlmOptions {
  /** Model names listed by GET /v1/models; null answers that endpoint with 404. */
  models?: string[] | null;
  /** Replies queued from the start, one per chat completion request. */
  replies?: FakeReply[];
  /** The default reply when the queue is empty: a fixed Reply or a function of the request body. */
  respondWith?: FakeReply | FakeResponder;
  /** The port to listen on (default: any free one). */
  port?: number;
}

export interface FakeLlm {
  /** Base URL ending in /v1, to give the OpenAI client as baseURL. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: FakeRequest[];
  /** Only the chat completion requests. */
  readonly chatRequests: FakeRequest[];
  /** Chat completion requests that found neither a queued reply nor a default responder. */
  readonly unexpected: number;
  /** Appends replies: each answers one chat completion request, in order. */
  enqueue(...replies: FakeReply[]): void;
  /** Sets the default reply used when the queue is empty. */
  respondWith(responder: FakeReply | FakeResponder): void;
  /** Replaces the model list served by GET /v1/models (null: 404). */
  setModels(models: string[] | null): void;
  /** Resolves when at least `count` chat completion requests have arrived (rejects after timeoutMs). */
  waitForChatRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const requests: FakeRequest[] = [];
  const queue: FakeReply[] = [...(options.replies ?? [])];
  let responder: FakeReply | FakeResponder | null = options.respondWith ?? null;
  let models: string[] | null = options.models === undefined ? ["fake-model"] : options.models;
  let unexpected = 0;
  let completionCounter = 0;
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const chatCount = () => requests.filter((r) => r.method === "POST" && r.path === "/v1/chat/completions").length;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`fake-llm internal error: ${String(err)}`, "server_error"));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: FakeRequestBody = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    }
    const request: FakeRequest = { method: req.method ?? "GET", path, headers, body, at: Date.now() };
    requests.push(request);

    if (request.method === "GET" && path === "/v1/models") {
      if (models === null) {
        sendJson(res, 404, errorBody("Not found", "not_found"));
        return;
      }
      sendJson(res, 200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake" })),
      });
      return;
    }
    if (request.method === "POST" && path === "/v1/chat/completions") {
      notify();
      if (body?.stream === true) {
        sendJson(res, 400, errorBody("fake-llm does not stream", "invalid_request_error"));
        return;
      }
      let reply: FakeReply;
      const queued = queue.shift();
      if (queued !== undefined) reply = queued;
      else if (responder === null) {
        unexpected += 1;
        sendJson(res, 500, errorBody(`fake-llm: no reply queued for request ${requests.length}`, "fake_no_reply"));
        return;
      } else reply = typeof responder === "function" ? await responder(body, request) : responder;
      await answer(res, reply, body);
      return;
    }
    sendJson(res, 404, errorBody(`fake-llm: no route ${request.method} ${path}`, "not_found"));
  }

  async function answer(res: ServerResponse, reply: FakeReply, body: FakeRequestBody): Promise<void> {
    if ("hang" in reply) return; // the socket stays open until the client aborts or close()
    if ("delayMs" in reply) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, reply.delayMs);
        timers.add(t);
      });
      if (res.destroyed || res.writableEnded) return;
      await answer(res, reply.then, body);
      return;
    }
    if ("raw" in reply) {
      res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "application/json" });
      res.end(reply.raw);
      return;
    }
    if ("status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body ?? errorBody(`fake error ${reply.status}`, statusCode(reply.status))));
      return;
    }
    let content: string | null;
    let refusal: string | null = null;
    let finishReason: string = "stop";
    if ("json" in reply) content = JSON.stringify(reply.json);
    else if ("refusal" in reply) {
      content = null;
      refusal = reply.refusal;
    } else {
      content = reply.content;
      finishReason = reply.finishReason ?? "stop";
    }
    completionCounter += 1;
    const requested = typeof body?.model === "string" ? (body.model as string) : "fake-model";
    const response: Record<string, unknown> = {
      id: `chatcmpl-fake-${completionCounter}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? requested,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, refusal },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
    };
    if (reply.usage !== null) {
      const u = { promptTokens: 10, completionTokens: 5, cachedTokens: 0, ...(reply.usage ?? {}) };
      response.usage = {
        prompt_tokens: u.promptTokens,
        completion_tokens: u.completionTokens,
        total_tokens: u.promptTokens + u.completionTokens,
        prompt_tokens_details: { cached_tokens: u.cachedTokens },
      };
    }
    sendJson(res, 200, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.method === "POST" && r.path === "/v1/chat/completions");
    },
    get unexpected() {
      return unexpected;
    },
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    respondWith: (r) => {
      responder = r;
    },
    setModels: (m) => {
      models = m;
    },
    waitForChatRequests: (count, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (chatCount() < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake-llm: ${chatCount()} of ${count} chat requests after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The json_schema name the request asks for; null in json_object mode or without a format. */
export function schemaNameOf(body: FakeRequestBody): string | null {
  const name = body?.response_format?.json_schema?.name;
  return typeof name === "string" ? name : null;
}

/** The content of the last user message of a chat request ("" when there is none). */
export function lastUserText(body: FakeRequestBody): string {
  const messages: unknown = body?.messages;
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role === "user") return typeof m.content === "string" ? m.content : JSON.stringify(m.content);
  }
  return "";
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function errorBody(message: string, code: string): unknown {
  return { error: { message, type: code, param: null, code } };
}

function statusCode(status: number): string {
  if (status === 429) return "rate_limit_exceeded";
  if (status === 401) return "invalid_api_key";
  if (status === 404) return "model_not_found";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}
