// "Loopchat", a made-up chat service for the platform-layer test: the service side, over real HTTP.
// People (the test) say things in rooms; the service delivers each line to the bot's webhook
// (POST {bot}/updates, like Telegram's or WeCom's callbacks) and records what the bot sends
// through its API (POST /send with a text and optional files, base64).
import { createServer, type IncomingMessage } from "node:http";
import net from "node:net";

export interface SentMessage {
  room: string;
  text: string;
  files: Array<{ name: string; content: Buffer }>;
}

export interface LoopchatService {
  /** The API base the bot posts to (LOOPCHAT_API_URL). */
  url: string;
  /** Everything the bot sent, in order. */
  sent: SentMessage[];
  /** A person says a line in a room; resolves once the bot acknowledged it (HTTP 200). */
  say(user: { id: string; name: string }, room: string, text: string): Promise<void>;
  /** Points the service at the bot's webhook (http://127.0.0.1:PORT). */
  connect(botUrl: string): void;
  waitFor(what: string, test: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startLoopchatService(): Promise<LoopchatService> {
  const sent: SentMessage[] = [];
  let botUrl: string | null = null;
  let nextUpdate = 1;
  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/send") {
      res.writeHead(404).end();
      return;
    }
    const b = (await body(req)) as { room?: unknown; text?: unknown; files?: Array<{ name: string; base64: string }> };
    if (typeof b.room !== "string" || typeof b.text !== "string" || Buffer.byteLength(b.text, "utf8") > 2048) {
      // The service's own limit, in UTF-8 bytes: a bot that measures otherwise fails here.
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "bad message" }));
      return;
    }
    sent.push({
      room: b.room,
      text: b.text,
      files: (b.files ?? []).map((f) => ({ name: f.name, content: Buffer.from(f.base64, "base64") })),
    });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: String(sent.length) }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    connect(url) {
      botUrl = url;
    },
    async say(user, room, text) {
      if (!botUrl) throw new Error("no bot connected");
      const res = await fetch(`${botUrl}/updates`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ update_id: nextUpdate++, user, room, text }),
      });
      if (res.status !== 200) throw new Error(`the bot answered HTTP ${res.status}`);
    },
    async waitFor(what, test, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = sent.find(test);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}; the bot sent:\n${sent.map((m) => `  [${m.room}] ${m.text}`).join("\n")}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
