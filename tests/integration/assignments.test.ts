// Assignments end to end on both databases: the app as `npm start` assembles it (real store, real
// evaluator, the OpenAI adapter against the fake LLM server). A trainer sets two customers as an
// assessment with two attempts; the trainee sees them, a third attempt is refused, the card is held
// until release, and the completion view shows the result. Attempts are raced by real processes.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Outbound } from "../../src/roleplay/api.ts";
import { assignmentStoreFor } from "../../src/store/assignments.ts";
import { type KyselyStore, openStore } from "../../src/store/index.ts";
import { renderAssignmentsCsv } from "../../src/reports/completion.ts";
import { renderHtml } from "../../src/reports/render-html.ts";
import { renderJson } from "../../src/reports/render-json.ts";
import { renderMarkdown } from "../../src/reports/render-md.ts";
import { sessionRows } from "../../src/reports/report-sessions.ts";
import { buildSummary } from "../../src/reports/summary.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const root = path.resolve(import.meta.dirname, "../..");
const PG = "postgres://postgres@127.0.0.1:5432/test";
const A = "atm-counterfeit-note";
const B = "atm-card-swallowed";
const DAY = 86_400_000;

interface Backend {
  name: string;
  /** DATABASE_URL for the app, and what a second process opens. */
  open(): Promise<{ url: string; pgSchema?: string; drop(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "SQLite",
    async open() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assignments-"));
      return { url: `sqlite:${path.join(dir, "db.sqlite")}`, drop: async () => fs.rmSync(dir, { recursive: true }) };
    },
  },
  {
    name: "PostgreSQL",
    async open() {
      const pgSchema = `assign_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
      // Created (and migrated) first; the app then reaches it through the connection's search_path.
      const first = await openStore(PG, { pgSchema });
      await first.close();
      return {
        url: `${PG}?options=${encodeURIComponent(`-c search_path=${pgSchema}`)}`,
        pgSchema,
        drop: async () => {
          const s = await openStore(PG, { pgSchema });
          await s.dropSchema();
        },
      };
    },
  },
];

const alice = { platform: "console" as const, userId: "alice", displayName: "Alice" };
const place = { platform: "console" as const, scopeId: null, chatId: "term", threadId: null };
const aliceCtx = [{ traineeId: "console:alice", platform: "console" as const, scopeId: null }];
const trainer = { platform: "console" as const, userId: "trainer", role: "trainer" as const, scopes: null };
const aliceViewer = { platform: "console" as const, userId: "alice", role: "trainee" as const, scopes: null };

function dueDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
}

describe.each(backends)("assignments on $name", (backend) => {
  let llm: FakeLlm;
  let app: App;
  let events: Outbound[];
  let db: { url: string; pgSchema?: string; drop(): Promise<void> };
  let n = 0;

  beforeAll(async () => {
    llm = await startFakeLlm({ respondWith: roleplayResponder({ score: 4 }) });
  });
  afterAll(async () => {
    await llm.close();
  });

  beforeEach(async () => {
    db = await backend.open();
    const config = loadConfig({
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: "test",
      LLM_MODEL: "fake-model",
      DATABASE_URL: db.url,
      PERSONAS_DIR: path.join(root, "personas"),
      PROMPTS_DIR: path.join(root, "prompts"),
      TIME_ZONE: "Asia/Shanghai",
      LOG_LEVEL: "silent",
    });
    app = await createApp(config, { watch: false });
    events = [];
    app.engine.registerOutlet("console", {
      async deliver(e) {
        events.push(e);
        return undefined;
      },
    });
  });

  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  /** One attempt: start through the assignment, two lines, /end, evaluation done. */
  async function play(assignmentId: string, personaId: string) {
    const started = await app.assignments.start({ trainee: alice, place, assignmentId, personaId, contexts: aliceCtx });
    if (!started.ok) return started;
    for (const text of ["您好，请问遇到什么问题了？", "您别着急，我先帮您登记，再查监控。"]) {
      await app.engine.message({ trainee: alice, place, text, inboundKey: `m${++n}` });
      await app.engine.idle();
    }
    const ended = await app.engine.end(alice, place);
    expect(ended.ok).toBe(true);
    await app.engine.idle();
    return started;
  }

  const cards = () => events.filter((e) => e.type === "evaluation");
  const held = () => events.filter((e) => e.type === "notice" && e.code === "evaluation_held");

  it("assessment with two attempts: seen, third refused, card held until release, completion reported", async () => {
    const created = await app.assignments.create({
      personas: `${A},${B}`,
      to: "console:alice",
      due: dueDay(3),
      mode: "assessment",
      attempts: "2",
      createdBy: "console:trainer",
    });
    if (!created.ok) throw new Error(created.error.code);
    const id = created.assignment.id;

    const seen = await app.assignments.forTrainee("console:alice", aliceCtx);
    expect(seen.map((s) => s.assignment.id)).toEqual([id]);
    expect(seen[0]?.progress.status).toBe("not_started");
    expect(seen[0]?.progress.personas.map((p) => p.personaId)).toEqual([A, B]);
    const bob = [{ traineeId: "console:bob", platform: "console" as const, scopeId: null }];
    expect(await app.assignments.forTrainee("console:bob", bob)).toEqual([]);

    const first = await play(id, A);
    expect(first.ok).toBe(true);
    const second = await play(id, A);
    expect(second.ok).toBe(true);
    const third = await app.assignments.start({
      trainee: alice,
      place,
      assignmentId: id,
      personaId: A,
      contexts: aliceCtx,
    });
    expect(third.ok).toBe(false);
    if (!third.ok) expect(third.error.code).toBe("attempts_used");
    expect(await app.engine.activeSession(alice, place)).toBeNull();

    // Evaluated and stored at once, but no card: the trainee is told it is held.
    if (!first.ok || !second.ok) throw new Error("not started");
    expect(await app.store.latestEvaluation(first.session.id)).not.toBeNull();
    expect(await app.store.latestEvaluation(second.session.id)).not.toBeNull();
    expect(cards()).toHaveLength(0);
    expect(held()).toHaveLength(2);
    const report = await app.engine.report(first.session.id, aliceViewer);
    expect(report.ok ? "shown" : report.error.code).toBe("results_held");
    expect((await app.engine.report(first.session.id, trainer)).ok).toBe(true);
    expect((await app.engine.history(alice)).every((h) => h.total === null)).toBe(true);
    await app.engine.sweep();
    expect(cards()).toHaveLength(0);

    const progressBefore = await app.assignments.progress(created.assignment);
    expect(progressBefore.map((r) => [r.traineeId, r.status])).toEqual([["console:alice", "in_progress"]]);
    expect(progressBefore[0]?.personas[0]).toMatchObject({ personaId: A, attemptsUsed: 2, attemptsLeft: 0 });
    expect(progressBefore[0]?.best).not.toBeNull();

    expect(await app.assignments.release(id)).toBe(true);
    await app.engine.sweep();
    await app.engine.sweep();
    expect(cards()).toHaveLength(2);
    expect(cards().every((e) => e.type === "evaluation" && e.assessment === true)).toBe(true);
    expect(new Set(cards().map((e) => e.session.id))).toEqual(new Set([first.session.id, second.session.id]));
    expect((await app.engine.report(first.session.id, aliceViewer)).ok).toBe(true);

    // The manager's report: completion per assignment in the summary, Markdown, JSON, CSV and HTML.
    const now = Date.now();
    const summary = await buildSummary(app.store, {
      from: now - DAY,
      to: now + DAY,
      scope: null,
      now,
      timeZone: "UTC",
    });
    const completion = summary.assignments?.find((c) => c.assignment.id === id);
    expect(completion?.counts.in_progress).toBe(1);
    expect(completion?.trainees.map((r) => [r.traineeId, r.displayName])).toEqual([["console:alice", "Alice"]]);
    const json = JSON.parse(await renderJson(summary, sessionRows(app.store, summary)));
    expect(json.schemaVersion).toBe(2);
    expect(json.assignments.find((a: { id: string }) => a.id === id)?.completion.in_progress).toBe(1);
    expect(renderMarkdown(summary, "en")).toContain(`### ${id}`);
    expect(renderHtml(summary, "en")).toContain(`${id} · ${A}, ${B}`);
    const csv = renderAssignmentsCsv(summary.assignments, "en").split("\r\n");
    expect(csv[1]).toContain(`${id},${A} ${B},`);
    expect(csv[1]).toContain("console:alice,Alice,in progress");
  });

  it("an assessment session ended twice at once is evaluated once", async () => {
    const created = await app.assignments.create({
      personas: A,
      to: "console:alice",
      due: dueDay(2),
      mode: "assessment",
      createdBy: "console:trainer",
    });
    if (!created.ok) throw new Error(created.error.code);
    const started = await app.assignments.start({
      trainee: alice,
      place,
      assignmentId: created.assignment.id,
      contexts: aliceCtx,
    });
    if (!started.ok) throw new Error("start refused");
    for (const text of ["您好，请问遇到什么问题了？", "我先帮您登记。"]) {
      await app.engine.message({ trainee: alice, place, text, inboundKey: `m${++n}` });
      await app.engine.idle();
    }
    const ends = await Promise.all([app.engine.end(alice, place), app.engine.end(alice, place)]);
    expect(ends.filter((e) => e.ok)).toHaveLength(1);
    await app.engine.idle();
    await app.evaluator.runDue();
    await app.engine.idle();
    expect(await app.store.listEvaluations(started.session.id)).toHaveLength(1);
    expect(held()).toHaveLength(1);
    // The one attempt allowed by default in an assessment is used.
    const again = await app.assignments.start({
      trainee: alice,
      place,
      assignmentId: created.assignment.id,
      contexts: aliceCtx,
    });
    expect(again.ok ? "started" : again.error.code).toBe("all_done");
  });

  it("starts racing from separate processes never take more attempts than allowed", async () => {
    const created = await app.assignments.create({
      personas: A,
      to: "console:alice",
      due: dueDay(2),
      mode: "assessment",
      attempts: "2",
      createdBy: "console:trainer",
    });
    if (!created.ok) throw new Error(created.error.code);
    await app.store.upsertTrainee(alice, Date.now());
    const contenders = 4;
    const procs: ChildProcess[] = [];
    const results: Array<Promise<string>> = [];
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < contenders; i++) {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(root, "tests/support/assignment-race.ts"),
          backend.name === "SQLite" ? db.url : PG,
          db.pgSchema ?? "",
          created.assignment.id,
          "console:alice",
          A,
          "2",
        ],
        { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
      );
      procs.push(child);
      let out = "";
      let signalReady: () => void = () => {};
      ready.push(new Promise((resolve) => (signalReady = resolve)));
      results.push(
        new Promise((resolve) => {
          child.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes("ready")) signalReady();
          });
          child.on("exit", () => resolve(out));
        }),
      );
    }
    await Promise.all(ready);
    for (const child of procs) child.stdin?.write("go\n");
    const outputs = await Promise.all(results);
    const taken = outputs.map((o) => JSON.parse(o.trim().split("\n").at(-1) ?? "{}") as { ok?: boolean });
    expect(taken.filter((t) => t.ok === true)).toHaveLength(2);
    expect(taken.filter((t) => t.ok === false)).toHaveLength(contenders - 2);
    const store = assignmentStoreFor(app.store);
    const attempts = await store.listAttempts({ assignmentId: created.assignment.id });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
  }, 60_000);

  it("concurrent starts in one process on a pool also stop at the limit", async () => {
    const created = await app.assignments.create({
      personas: A,
      to: "console:alice",
      due: dueDay(2),
      mode: "assessment",
      attempts: "3",
      createdBy: "console:trainer",
    });
    if (!created.ok) throw new Error(created.error.code);
    await app.store.upsertTrainee(alice, Date.now());
    const store = assignmentStoreFor(app.store as KyselyStore);
    const tries = await Promise.all(
      Array.from({ length: 12 }, () =>
        store.reserveAttempt({
          assignmentId: created.assignment.id,
          traineeId: "console:alice",
          personaId: A,
          sessionId: randomUUID(),
          now: Date.now(),
          maxAttempts: 3,
        }),
      ),
    );
    expect(tries.filter((t) => t.ok)).toHaveLength(3);
  });
});
