// Section (d) of the bench: from process start to an assembled app (SQLite store migrated,
// catalogue loaded, engine ready), then the idle process's memory after a full collection.
// Prints one line: RESULT {json}.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";

const root = path.resolve(import.meta.dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cold-"));
const app = await createApp(
  loadConfig({
    LLM_BASE_URL: "http://127.0.0.1:9/v1",
    LLM_API_KEY: "bench",
    LLM_MODEL: "fake-model",
    DATABASE_URL: `sqlite:${path.join(dir, "cold.sqlite")}`,
    PERSONAS_DIR: path.join(root, "personas"),
    PROMPTS_DIR: path.join(root, "prompts"),
    LOG_LEVEL: "silent",
  }),
  { watch: false },
);
// performance.now() counts from the start of the process.
const readyMs = performance.now();
const collect = (globalThis as { gc?: () => void }).gc;
collect?.();
await new Promise((r) => setTimeout(r, 200));
collect?.();
const mem = process.memoryUsage();
await app.close();
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `RESULT ${JSON.stringify({ readyMs, rssMb: mem.rss / 2 ** 20, heapMb: mem.heapUsed / 2 ** 20 })}\n`,
);
