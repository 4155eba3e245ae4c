// Nothing raw anywhere: the generated personal-data corpus typed into real sessions (real engine,
// real SQLite file, the OpenAI-compatible adapter over HTTP to the fake model, a captured log)
// must not reach the model request, the database file (WAL and shared memory included) or a
// log line in clear.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { type FakeLlm, schemaNameOf, startFakeLlm } from "../support/fake-llm.ts";
import { type Case, normalise, personalCases, leaks } from "../support/pii-corpus.ts";

const root = path.resolve(import.meta.dirname, "../..");
const PER_KIND = 130;
const CASES_PER_MESSAGE = 10;
const MESSAGES_PER_SESSION = 13;

let llm: FakeLlm;
let app: App;
let dir: string;
const logLines: string[] = [];

beforeAll(async () => {
  llm = await startFakeLlm();
  llm.respondWith((body) =>
    schemaNameOf(body) === "customer_reply"
      ? {
          json: {
            text: "嗯，你接着说。",
            mood: 2,
            trigger_id: null,
            outcome: "continue",
            revealed_fact_ids: [],
            reason: "r",
          },
        }
      : { status: 500 },
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "privacy-"));
  const config = loadConfig({
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake-model",
    LLM_TIMEOUT_MS: "5000",
    LLM_MAX_RETRIES: "0",
    DATABASE_URL: `sqlite:${path.join(dir, "db.sqlite")}`,
    PERSONAS_DIR: path.join(root, "personas"),
    PROMPTS_DIR: path.join(root, "prompts"),
    LOG_LEVEL: "debug",
  });
  app = await createApp(config, { watch: false, log: createLogger("debug", (l) => logLines.push(l)) });
  app.engine.registerOutlet("console", { deliver: async () => undefined });
});

afterAll(async () => {
  await app?.close();
  await llm?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every window of `n` characters in the normalised text, for quick look-ups over large sinks. */
function grams(text: string, n: number): Set<string> {
  const s = normalise(text);
  const out = new Set<string>();
  for (let i = 0; i + n <= s.length; i++) out.add(s.slice(i, i + n));
  return out;
}
function longLeak(sink: Set<string>, secret: string, n: number): boolean {
  const s = normalise(secret);
  if (s.length < n) return false;
  for (let i = 0; i + n <= s.length; i++) if (sink.has(s.slice(i, i + n))) return true;
  return false;
}

describe("the masking corpus through real sessions", () => {
  it("reaches neither the model, nor the database file, nor the log in clear", { timeout: 300_000 }, async () => {
    const cases = personalCases(PER_KIND, 4242);
    expect(cases.length).toBeGreaterThanOrEqual(3000);
    const messages: Case[][] = [];
    for (let i = 0; i < cases.length; i += CASES_PER_MESSAGE) messages.push(cases.slice(i, i + CASES_PER_MESSAGE));

    const sent: Array<{ sessionId: string; seq: number; cases: Case[]; request: string }> = [];
    let trainee = 0;
    let sessionId = "";
    let inSession = MESSAGES_PER_SESSION;
    let key = 0;
    for (const group of messages) {
      const who = { platform: "console" as const, userId: `t${trainee}`, displayName: "T" };
      const place = { platform: "console" as const, scopeId: null, chatId: `c${trainee}`, threadId: null };
      if (inSession === MESSAGES_PER_SESSION) {
        trainee++;
        who.userId = `t${trainee}`;
        place.chatId = `c${trainee}`;
        const started = await app.engine.start({ trainee: who, place, personaId: "atm-counterfeit-note" });
        if (!started.ok) throw new Error(started.error.code);
        sessionId = started.session.id;
        inSession = 0;
      }
      inSession++;
      const before = llm.chatRequests.length;
      // A line without digits between cases, so one case's number never runs into the next one's.
      const result = await app.engine.message({
        trainee: who,
        place,
        text: group.map((c) => c.text).join("\n下一条\n"),
        inboundKey: `k${++key}`,
      });
      expect(result.status).toBe("handled");
      await app.engine.idle();
      const request = llm.chatRequests
        .slice(before)
        .map((r) => JSON.stringify(r.body.messages))
        .join("\n");
      const turns = await app.store.listTurns(sessionId);
      const seq = turns.filter((t) => t.speaker === "trainee").at(-1)?.seq ?? -1;
      sent.push({ sessionId, seq, cases: group, request });
    }

    const leaked = { model: [] as string[], database: [] as string[], log: [] as string[] };
    const turnsBySession = new Map<string, Map<number, string>>();
    for (const s of sent) {
      let turns = turnsBySession.get(s.sessionId);
      if (!turns) {
        turns = new Map((await app.store.listTurns(s.sessionId)).map((t) => [t.seq, t.text]));
        turnsBySession.set(s.sessionId, turns);
      }
      const stored = turns.get(s.seq) ?? "";
      for (const c of s.cases) {
        if (leaks(stored, c.secret)) leaked.database.push(`${c.kind}: ${c.text} => ${stored}`);
        // JSON escapes non-ASCII only for control characters; parse back what the model read.
        if (
          leaks(
            JSON.parse(`[${s.request.split("\n").join(",")}]`)
              .flat()
              .map((m: { content: string }) => m.content)
              .join("\n"),
            c.secret,
          )
        )
          leaked.model.push(`${c.kind}: ${c.text}`);
      }
    }

    // The raw bytes of the database, its write-ahead log and shared memory, while the app is open.
    const files = fs.readdirSync(dir).filter((f) => f.startsWith("db.sqlite"));
    expect(files).toContain("db.sqlite");
    const database = grams(files.map((f) => fs.readFileSync(path.join(dir, f)).toString("utf8")).join("\n"), 10);
    const log = grams(logLines.join("\n"), 10);
    expect(logLines.length).toBeGreaterThan(0);
    for (const c of cases) {
      if (longLeak(database, c.secret, 10)) leaked.database.push(`file: ${c.kind}: ${c.text}`);
      if (longLeak(log, c.secret, 10)) leaked.log.push(`${c.kind}: ${c.text}`);
    }
    expect({
      model: leaked.model.slice(0, 5),
      database: leaked.database.slice(0, 5),
      log: leaked.log.slice(0, 5),
    }).toEqual({ model: [], database: [], log: [] });
  });
});
