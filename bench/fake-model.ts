// The model for the benchmarks, in a process of its own so that its work is not measured as the
// engine's: an OpenAI-compatible chat completion endpoint that answers after a fixed delay with a
// valid customer reply. GET /last returns the body of the last request, byte for byte, so the
// bench can send the identical request through the bare client.
// Usage: node --import tsx bench/fake-model.ts DELAY_MS   (prints "listening PORT" when ready)
import { createServer } from "node:http";

const delayMs = Number(process.argv[2] ?? 200);
let last = "";
let served = 0;

const reply = JSON.stringify({
  text: "嗯，你接着说，我听着呢。",
  mood: 2,
  trigger_id: null,
  outcome: "continue",
  revealed_fact_ids: [],
  reason: "bench",
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    if (req.method === "GET" && req.url === "/last") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(last);
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404).end();
      return;
    }
    last = Buffer.concat(chunks).toString("utf8");
    const n = ++served;
    setTimeout(() => {
      const body = JSON.stringify({
        id: `chatcmpl-${n}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: "fake-model",
        choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1500, completion_tokens: 40, total_tokens: 1540 },
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    }, delayMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
