// Telegram's delivery promises in front of the Bot API emulator. telegram-test-api hands an update
// out once (getUpdates marks it read whatever the offset) and calls a webhook once: a bot killed
// at the wrong moment would lose updates there that real Telegram delivers again. This proxy
// keeps Telegram's word: getUpdates returns every update at or after the offset until a later
// offset confirms it, and in webhook mode each update is POSTed, in order, until it is answered
// with a 2xx. Every other Bot API call goes straight to the emulator.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface Emulator {
  getUpdates(token: string): Array<{ update_id: number }>;
  config: { apiURL: string };
}

export interface TelegramDelivery {
  /** The Bot API root the bot is given (TELEGRAM_API_ROOT). */
  url: string;
  /** Updates handed out but not confirmed yet (polling) or not yet answered with 2xx (webhook). */
  pending(): number;
  /** The updates pending() counts. */
  pendingUpdates(): unknown[];
  /** Webhook calls that failed (connection refused, 5xx) and were retried. */
  webhookFailures(): number;
  close(): Promise<void>;
}

export async function startTelegramDelivery(
  emulator: Emulator,
  token: string,
  webhookTarget?: { url: string; secret: string },
): Promise<TelegramDelivery> {
  const queue: Array<{ update_id: number }> = [];
  const pull = () => {
    for (const u of emulator.getUpdates(token)) queue.push(u);
  };
  let webhookSet = false;
  let failures = 0;
  let closed = false;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const method = (req.url ?? "").split("/").pop()?.split("?")[0] ?? "";
      const json = (value: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, result: value }));
      };
      let params: Record<string, unknown> = {};
      try {
        params = body.length > 0 ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        params = {};
      }
      if (method === "getUpdates") {
        const offset = Number(params.offset ?? 0);
        while (queue.length > 0 && (queue[0]?.update_id ?? 0) < offset) queue.shift();
        pull();
        if (queue.length === 0) await new Promise((r) => setTimeout(r, 100));
        pull();
        return json(queue.slice(0, Number(params.limit ?? 100)));
      }
      if (method === "setWebhook") {
        webhookSet = true;
        return json(true);
      }
      if (method === "deleteWebhook") {
        webhookSet = false;
        return json(true);
      }
      try {
        const forwarded = await fetch(`${emulator.config.apiURL}${req.url}`, {
          method: req.method,
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          body: req.method === "GET" ? undefined : body,
        });
        res.writeHead(forwarded.status, { "content-type": "application/json" });
        res.end(Buffer.from(await forwarded.arrayBuffer()));
      } catch {
        res.writeHead(502);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Telegram calls the webhook with one update at a time per bot here (max_connections 1), in
  // order, and calls again until it is answered.
  const pusher = (async () => {
    if (!webhookTarget) return;
    while (!closed) {
      pull();
      const next = queue[0];
      if (!webhookSet || !next) {
        await new Promise((r) => setTimeout(r, 30));
        continue;
      }
      let ok = false;
      try {
        const r = await fetch(webhookTarget.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": webhookTarget.secret },
          body: JSON.stringify(next),
          signal: AbortSignal.timeout(30_000),
        });
        ok = r.status >= 200 && r.status < 300;
      } catch {
        ok = false;
      }
      if (ok) queue.shift();
      else {
        failures++;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();

  return {
    url,
    pending: () => queue.length,
    pendingUpdates: () => queue.slice(),
    webhookFailures: () => failures,
    async close() {
      closed = true;
      await pusher;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
