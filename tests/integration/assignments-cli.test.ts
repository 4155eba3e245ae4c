// `roleplay assign` and `roleplay assignments` as a trainer and a trainee use them, on both
// databases: set an assessment, see it, practise it in the terminal twice, be refused a third time,
// see nothing of the results until they are released, and read the completion as JSON.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { createCliContext } from "../../src/cli/context.ts";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const root = path.resolve(import.meta.dirname, "../..");
const PG = "postgres://postgres@127.0.0.1:5432/test";
const A = "atm-counterfeit-note-en";
const B = "lost-card-report-en";

let llm: FakeLlm;
let tmp: string;
beforeAll(async () => {
  llm = await startFakeLlm({ respondWith: roleplayResponder({ score: 4 }) });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "assign-cli-"));
});
afterAll(async () => {
  await llm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(databaseUrl: string, argv: string[], input = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  stdin.end(input);
  const ctx = createCliContext(
    {
      DATABASE_URL: databaseUrl,
      PERSONAS_DIR: path.join(root, "personas"),
      PROMPTS_DIR: path.join(root, "prompts"),
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: "test",
      LLM_MODEL: "fake-model",
      BOT_LANGUAGE: "en",
      TIME_ZONE: "Europe/London",
      LOG_LEVEL: "silent",
    },
    { stdin, stdout, stderr },
  );
  const code = await main(argv, ctx);
  return { code, out, err };
}

const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

describe.each([
  { name: "SQLite", url: async () => `sqlite:${path.join(tmp, `${randomUUID()}.sqlite`)}` },
  {
    name: "PostgreSQL",
    url: async () => {
      const pgSchema = `assign_cli_${randomUUID().replaceAll("-", "").slice(0, 10)}`;
      const s = await openStore(PG, { pgSchema });
      await s.close();
      return `${PG}?options=${encodeURIComponent(`-c search_path=${pgSchema}`)}`;
    },
  },
])("the assignments command line on $name", ({ url }) => {
  it("a trainer sets an assessment; the trainee practises it twice, a third start is refused, results come with the release", async () => {
    const db = await url();
    const set = await cli(db, [
      "assign",
      "--persona",
      `${A},${B}`,
      "--to",
      "console:alice",
      "--due",
      due,
      "--mode",
      "assessment",
      "--attempts",
      "2",
    ]);
    expect(set.err).toBe("");
    expect(set.code).toBe(0);
    const id = /Assignment (a-[a-z0-9]+) set/.exec(set.out)?.[1];
    expect(id).toBeDefined();
    if (!id) return;

    const mine = await cli(db, ["assignments", "--mine", "--trainee", "alice"]);
    expect(mine.code).toBe(0);
    expect(mine.out).toContain(id);
    expect(mine.out).toContain("not started");
    expect(mine.out).toContain("attempts 0/2");
    expect((await cli(db, ["assignments", "--mine", "--trainee", "bob"])).out).toContain("no open assignments");

    const lines =
      "Hello, how can I help you today?\nI understand, let me record the notes and check the camera.\n/end\n";
    for (let i = 0; i < 2; i++) {
      const played = await cli(db, ["assignments", "--start", id, "--persona", A, "--trainee", "alice"], lines);
      expect(played.err).toBe("");
      expect(played.code).toBe(0);
      expect(played.out).toContain("results are held");
      expect(played.out).not.toMatch(/\/ 100/);
    }
    const third = await cli(db, ["assignments", "--start", id, "--persona", A, "--trainee", "alice"], lines);
    expect(third.code).toBe(1);
    expect(third.out + third.err).toContain("used every attempt");

    const held = await cli(db, ["assignments", "--mine", "--trainee", "alice"]);
    expect(held.out).toContain("attempts 2/2");
    expect(held.out).toContain("results held");
    expect(held.out).not.toMatch(/best \d/);

    const report = await cli(db, ["assignments", "--json"]);
    expect(report.code).toBe(0);
    const json = JSON.parse(report.out) as {
      schemaVersion: number;
      assignments: Array<{
        id: string;
        completion: Record<string, number>;
        trainees: Array<{ traineeId: string; status: string; best: number | null }>;
      }>;
    };
    expect(json.schemaVersion).toBe(1);
    const row = json.assignments.find((a) => a.id === id);
    expect(row?.completion.in_progress).toBe(1);
    expect(row?.trainees[0]).toMatchObject({ traineeId: "console:alice", status: "in_progress" });
    expect(row?.trainees[0]?.best).toBeGreaterThan(0);

    expect((await cli(db, ["assignments", "--release", id])).code).toBe(0);
    const released = await cli(db, ["assignments", "--mine", "--trainee", "alice"]);
    expect(released.out).toMatch(/best \d/);
    expect((await cli(db, ["assignments", "--release", id])).code).toBe(1);

    expect((await cli(db, ["assignments", "--close", id])).code).toBe(0);
    const closed = await cli(db, ["assignments", "--start", id, "--persona", B, "--trainee", "alice"], lines);
    expect(closed.code).toBe(1);
    expect(closed.out + closed.err).toContain("is closed");
  }, 120_000);

  it("says what is wrong with an assignment a trainer types", async () => {
    const db = await url();
    const r = await cli(db, ["assign", "--persona", "no-such-persona", "--to", "console:alice", "--due", due]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('There is no persona "no-such-persona"');
    const bad = await cli(db, ["assign", "--persona", A, "--to", "alice", "--due", due]);
    expect(bad.err).toContain('"alice" is not a trainee or place');
    const usage = await cli(db, ["assign", "--persona", A]);
    expect(usage.code).toBe(2);
  });
});
