// The fake Discord behind a real HTTP server on 127.0.0.1, for what must reach Discord by URL
// (DISCORD_API_URL): the bot's and the CLI's REST calls arrive over the loopback network and are
// answered (and recorded) by the same fake as in-process tests use.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeDiscord } from "./discord-harness.ts";

export async function serveFakeDiscord(discord: FakeDiscord): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const type = String(req.headers["content-type"] ?? "");
    let init: RequestInit = { method: req.method ?? "GET" };
    if (body.length > 0) {
      // Multipart bodies are re-read as FormData so the fake sees files as discord.js sent them.
      init = type.startsWith("multipart/")
        ? { ...init, body: await new Response(body, { headers: { "content-type": type } }).formData() }
        : { ...init, body: body.toString("utf8") };
    }
    const answer = await discord.handle(`http://127.0.0.1${req.url}`, init);
    const headers: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      headers[k] = v;
    });
    res.writeHead(answer.status, headers);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
