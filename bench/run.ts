// Benchmarks of the session engine (npm run bench; not part of npm test).
// (a) One turn through engine + store against the fake LLM server with a fixed 200 ms latency,
//     versus the same LLM call made directly: the ratio, and the engine's own overhead per turn.
// (b) 200 concurrent sessions exchanging turns: throughput, event-loop delay, memory per session.
// Prints a Markdown table; the committed results are in bench/README.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { type App, createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createOpenAiLlm } from "../src/llm/openai.ts";
import type { LlmPort, StructuredRequest } from "../src/llm/port.ts";
import { CUSTOMER_SCHEMA_NAME, CustomerReply } from "../src/roleplay/customer.ts";
import { startFakeLlm } from "../tests/support/fake-llm.ts";

const root = path.resolve(import.meta.dirname, "..");
const LATENCY_MS = 200;
const TURNS_A = Number(process.env.BENCH_TURNS ?? 200);
const SESSIONS_B = Number(process.env.BENCH_SESSIONS ?? 200);
const TURNS_B = Number(process.env.BENCH_SESSION_TURNS ?? 5);

const customerJson = {
  text: "嗯，你接着说。",
  mood: 2,
  trigger_id: null,
  outcome: "continue",
  revealed_fact_ids: [],
  reason: "bench",
};

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}
const fmt = (n: number, d = 1) => n.toFixed(d);

/** Two full collections with a turn of the event loop between: finalizers and weak refs settle. */
async function gc(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return;
  collect();
  await new Promise((r) => setImmediate(r));
  collect();
}

/** Wraps an LLM port to time each call exactly as the engine experiences it. */
function timed(llm: LlmPort): { llm: LlmPort; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    llm: {
      modelFor: (r) => llm.modelFor(r),
      async structured<T>(req: StructuredRequest<T>) {
        const t0 = performance.now();
        try {
          return await llm.structured(req);
        } finally {
          calls.push(performance.now() - t0);
        }
      },
    },
  };
}

async function makeApp(dir: string, llm: LlmPort, url: string): Promise<App> {
  const config = loadConfig({
    LLM_BASE_URL: url,
    LLM_API_KEY: "bench",
    LLM_MODEL: "fake-model",
    DATABASE_URL: `sqlite:${path.join(dir, "bench.sqlite")}`,
    PERSONAS_DIR: path.join(root, "personas"),
    PROMPTS_DIR: path.join(root, "prompts"),
    LOG_LEVEL: "silent",
  });
  return createApp(config, { llm, watch: false });
}

async function benchA(): Promise<Record<string, string>> {
  const fake = await startFakeLlm({ respondWith: { delayMs: LATENCY_MS, then: { json: customerJson } } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-a-"));
  const settings = loadConfig({ LLM_BASE_URL: fake.url, LLM_API_KEY: "bench", LLM_MODEL: "fake-model" }).llm;
  if (!settings) throw new Error("bench config");
  const direct = createOpenAiLlm(settings, null);
  const { llm, calls } = timed(createOpenAiLlm(settings, null));
  const app = await makeApp(dir, llm, fake.url);
  let delivered: (() => void) | null = null;
  app.engine.registerOutlet("console", {
    async deliver(e) {
      if (e.type === "customer") delivered?.();
      return undefined;
    },
  });
  const trainee = { platform: "console" as const, userId: "bench", displayName: "bench" };
  const place = { platform: "console" as const, scopeId: null, chatId: "bench", threadId: null };
  const engineTurn: number[] = [];
  const overhead: number[] = [];
  let k = 0;
  // Sessions of 10 turns each (the persona's max_turns would end longer ones).
  while (engineTurn.length < TURNS_A) {
    const s = await app.engine.start({ trainee, place, personaId: "atm-counterfeit-note" });
    if (!s.ok) throw new Error(`start: ${s.error.code}`);
    for (let i = 0; i < 10 && engineTurn.length < TURNS_A; i++) {
      const before = calls.length;
      const done = new Promise<void>((r) => {
        delivered = r;
      });
      const t0 = performance.now();
      await app.engine.message({
        trainee,
        place,
        text: `您好，第${i}句话，请问您遇到了什么问题？`,
        inboundKey: `a${k++}`,
      });
      await done;
      const total = performance.now() - t0;
      engineTurn.push(total);
      overhead.push(total - (calls[before] ?? 0));
    }
    await app.engine.end(trainee, place);
    await app.engine.idle();
  }
  const directTimes: number[] = [];
  const messages = [
    { role: "system" as const, content: "bench" },
    { role: "user" as const, content: "您好" },
  ];
  for (let i = 0; i < TURNS_A; i++) {
    const t0 = performance.now();
    await direct.structured({ role: "customer", messages, schema: CustomerReply, schemaName: CUSTOMER_SCHEMA_NAME });
    directTimes.push(performance.now() - t0);
  }
  await app.close();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const ratio = pct(engineTurn, 50) / pct(directTimes, 50);
  return {
    "(a) turns measured": String(TURNS_A),
    "(a) direct LLM call p50 / p99 (ms)": `${fmt(pct(directTimes, 50))} / ${fmt(pct(directTimes, 99))}`,
    "(a) turn through engine + store p50 / p99 (ms)": `${fmt(pct(engineTurn, 50))} / ${fmt(pct(engineTurn, 99))}`,
    "(a) ratio engine / direct (p50), target <= 1.05": fmt(ratio, 3),
    "(a) engine's own overhead per turn p50 / p99 (ms), target p99 < 10": `${fmt(pct(overhead, 50), 2)} / ${fmt(pct(overhead, 99), 2)}`,
  };
}

/** An in-process LLM with a fixed latency: (b) measures the engine, not an HTTP server. */
function delayedLlm(ms: number): LlmPort {
  return {
    modelFor: () => "delayed",
    async structured<T>(req: StructuredRequest<T>) {
      await new Promise((r) => setTimeout(r, ms));
      return {
        value: req.schema.parse(customerJson),
        model: "delayed",
        latencyMs: ms,
        usage: { promptTokens: null, completionTokens: null, cachedPromptTokens: null },
      };
    },
  };
}

async function benchB(): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-b-"));
  const app = await makeApp(dir, delayedLlm(LATENCY_MS), "http://127.0.0.1:9/v1");
  const waiting = new Map<string, () => void>();
  app.engine.registerOutlet("console", {
    async deliver(e) {
      if (e.type === "customer") waiting.get(e.session.id)?.();
      return undefined;
    },
  });
  const place = (i: number) => ({ platform: "console" as const, scopeId: null, chatId: `c${i}`, threadId: null });
  const trainee = (i: number) => ({ platform: "console" as const, userId: `t${i}`, displayName: `t${i}` });

  await gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const ids: string[] = [];
  for (let i = 0; i < SESSIONS_B; i++) {
    const s = await app.engine.start({ trainee: trainee(i), place: place(i), personaId: "atm-counterfeit-note" });
    if (!s.ok) throw new Error(`start: ${s.error.code}`);
    ids.push(s.session.id);
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  let turns = 0;
  let k = 0;
  await Promise.all(
    ids.map(async (id, i) => {
      for (let j = 0; j < TURNS_B; j++) {
        const answered = new Promise<void>((r) => waiting.set(id, r));
        await app.engine.message({
          trainee: trainee(i),
          place: place(i),
          text: `第${j}句：请问您什么时候取的钱？`,
          inboundKey: `b${k++}`,
        });
        await answered;
        turns++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  loop.disable();
  await app.engine.idle();
  await gc();
  // All sessions are still active here: what they hold is what an active session costs.
  const heapAfter = process.memoryUsage().heapUsed;
  const rssAfter = process.memoryUsage().rss;
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    "(b) sessions x turns": `${SESSIONS_B} x ${TURNS_B}`,
    "(b) throughput (turns/s, LLM latency 200 ms)": fmt(turns / seconds),
    "(b) event-loop delay p99 (ms)": fmt(loop.percentile(99) / 1e6, 2),
    "(b) heap per active session (KB), target < 100": fmt((heapAfter - heapBefore) / 1024 / SESSIONS_B),
    "(b) resident memory per active session (KB), target < 100": fmt((rssAfter - rssBefore) / 1024 / SESSIONS_B),
  };
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write("note: run with --expose-gc for memory figures\n");
  // (b) first: its memory figures are cleanest in a fresh process.
  const b = await benchB();
  const rows = { ...(await benchA()), ...b };
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  process.stdout.write(
    `Machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`,
  );
  process.stdout.write("| measure | value |\n|---|---|\n");
  for (const [k, v] of Object.entries(rows)) process.stdout.write(`| ${k} | ${v} |\n`);
}

await main();
