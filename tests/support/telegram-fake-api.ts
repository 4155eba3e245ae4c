// A fake Bot API behind grammY's `client.fetch`, for unit tests without any network: every call is
// recorded (method and payload), sendMessage answers like Telegram, and a test can script any
// method's answer, including Telegram's errors (403, 429 with retry_after, 400 can't parse).
//
//   const api = fakeTelegramApi();
//   const bot = new Bot(token, { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } });
//   api.on("sendMessage", (p) => api.error(403, "Forbidden: bot was blocked by the user"));
//   api.calls("sendMessage")  // payloads, in order
import type { UserFromGetMe } from "grammy/types";

export interface FakeCall {
  method: string;
  // biome-ignore lint/suspicious/noExplicitAny: payloads are whatever grammY sent
  payload: any;
  /** The raw multipart body, for file uploads (sendDocument). */
  raw?: string;
}

export type FakeAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

// biome-ignore lint/suspicious/noExplicitAny: see FakeCall
export type FakeHandler = (payload: any, call: FakeCall) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;

export const TEST_BOT_INFO = {
  id: 4242,
  is_bot: true,
  first_name: "Practice Bot",
  username: "practice_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as unknown as UserFromGetMe;

export interface FakeTelegramApi {
  fetch: typeof fetch;
  /** Every call, in order. */
  log: FakeCall[];
  // biome-ignore lint/suspicious/noExplicitAny: see FakeCall
  calls(method: string): any[];
  /** Scripts a method: return an answer, or undefined for the default. Later scripts win. */
  on(method: string, handler: FakeHandler): void;
  /** Answers this method once with the given answer, then falls back. */
  once(method: string, answer: FakeAnswer): void;
  error(code: number, description: string, retryAfter?: number): FakeAnswer;
}

export function fakeTelegramApi(): FakeTelegramApi {
  const log: FakeCall[] = [];
  const handlers = new Map<string, FakeHandler[]>();
  const onceQueue = new Map<string, FakeAnswer[]>();
  let messageId = 1000;

  // biome-ignore lint/suspicious/noExplicitAny: payloads are loose
  const defaults: Record<string, (p: any) => unknown> = {
    getMe: () => TEST_BOT_INFO,
    sendMessage: (p) => ({
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(p.chat_id), type: Number(p.chat_id) > 0 ? "private" : "supergroup" },
      text: p.text,
      ...(p.message_thread_id ? { message_thread_id: p.message_thread_id, is_topic_message: true } : {}),
    }),
    sendDocument: (p) => ({ message_id: ++messageId, date: 0, chat: { id: Number(p.chat_id), type: "private" } }),
    createForumTopic: (p) => ({ message_thread_id: 777, name: p.name, icon_color: 0 }),
    getChatMember: (p) => ({ status: "member", user: { id: p.user_id, is_bot: false, first_name: "x" } }),
  };

  const fakeFetch = async (input: unknown, init?: { body?: unknown }) => {
    const url = String(input);
    const method = url.slice(url.lastIndexOf("/") + 1);
    const call: FakeCall = { method, payload: {} };
    const body = init?.body;
    if (typeof body === "string") call.payload = JSON.parse(body);
    else if (body != null) {
      call.raw = await readStream(body);
      call.payload = multipartFields(call.raw);
    }
    log.push(call);

    let answer: FakeAnswer | undefined = onceQueue.get(method)?.shift();
    if (!answer) {
      for (const h of [...(handlers.get(method) ?? [])].reverse()) {
        answer = await h(call.payload, call);
        if (answer) break;
      }
    }
    if (!answer) {
      const d = defaults[method];
      answer = { ok: true, result: d ? d(call.payload) : true };
    }
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  };

  return {
    fetch: fakeFetch as unknown as typeof fetch,
    log,
    calls: (method) => log.filter((c) => c.method === method).map((c) => c.payload),
    on(method, handler) {
      handlers.set(method, [...(handlers.get(method) ?? []), handler]);
    },
    once(method, answer) {
      onceQueue.set(method, [...(onceQueue.get(method) ?? []), answer]);
    },
    error: (code, description, retryAfter) => ({
      ok: false,
      error_code: code,
      description,
      ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
    }),
  };
}

async function readStream(body: unknown): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The simple (non-file) fields of a multipart body, e.g. chat_id and caption. */
function multipartFields(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)) out[m[1] as string] = m[2] as string;
  return out;
}
