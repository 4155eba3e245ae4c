// `roleplay report` on a real SQLite file: files written where asked (the CSV's trainee sheet
// beside it), output on stdout otherwise, and exit codes 1 for a wrong value, 2 for wrong usage.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { createCliContext } from "../../src/cli/context.ts";
import { reportCommand } from "../../src/cli/report.ts";
import { loadConfig } from "../../src/config.ts";
import { openStore } from "../../src/store/index.ts";
import { NOW, seedMarch } from "../fixtures/reports/seed.ts";

const dir = mkdtempSync(join(tmpdir(), "reports-cli-"));
const databaseUrl = `sqlite:${join(dir, "roleplay.sqlite")}`;
const env = { DATABASE_URL: databaseUrl, BOT_LANGUAGE: "en", TIME_ZONE: "UTC" };

beforeAll(async () => {
  const store = await openStore(databaseUrl);
  try {
    await seedMarch(store);
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await reportCommand(args, {
    config: loadConfig(env),
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    openStore: () => openStore(databaseUrl),
    now: () => NOW,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("roleplay report", () => {
  it("--format csv --out writes the sessions file and a trainee sheet beside it, both for Excel", async () => {
    const file = join(dir, "march.csv");
    const r = await run([
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--format",
      "csv",
      "--out",
      file,
      "--language",
      "zh-CN",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    const sessions = readFileSync(file, "utf8");
    const trainees = readFileSync(join(dir, "march-trainees.csv"), "utf8");
    expect(sessions.charCodeAt(0)).toBe(0xfeff);
    expect(trainees.charCodeAt(0)).toBe(0xfeff);
    const sessionRows = Papa.parse<string[]>(sessions.slice(1), { skipEmptyLines: true }).data;
    const traineeRows = Papa.parse<string[]>(trainees.slice(1), { skipEmptyLines: true }).data;
    expect(sessionRows).toHaveLength(1 + 15);
    expect(traineeRows.map((row) => row[0])).toEqual(["学员", "张三", "李四", "赵六", '王五, "小王"\n二组']);
    expect(r.err).toContain("march-trainees.csv");
    // Streamed under a temporary name, renamed when complete.
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it("streams to standard output as it goes: JSON with every session, ending in one line break", async () => {
    const stdout = new PassThrough();
    const chunks: string[] = [];
    stdout.on("data", (c) => chunks.push(String(c)));
    const code = await main(
      ["report", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"],
      createCliContext(env, { stdout, stderr: new PassThrough() }),
    );
    expect(code).toBe(0);
    const text = chunks.join("");
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text).sessions).toHaveLength(15);
  });

  it("--since 30d --format json prints the documented shape on stdout", async () => {
    const r = await run(["--since", "30d", "--format", "json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.schemaVersion).toBe(2);
    // 30 days back from 1 April 08:00 is 2 March 08:00: the 2 March 09:00 session is inside.
    expect(json.totals.started).toBe(15);
    expect(json.period.from).toBe("2026-03-02T08:00:00.000Z");
  });

  it("--tz reads the dates as days in that zone and says so in the output", async () => {
    const r = await run(["--since", "2026-03-01..2026-03-31", "--tz", "Asia/Shanghai", "--format", "json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.timeZone).toBe("Asia/Shanghai");
    // Beijing midnight on 1 March is 16:00 UTC on 28 February.
    expect(json.period).toEqual({ from: "2026-03-01T00:00:00.000+08:00", to: "2026-04-01T00:00:00.000+08:00" });
    expect(Date.parse(json.period.from)).toBe(Date.UTC(2026, 1, 28, 16));
    const md = await run(["--from", "2026-03-01", "--to", "2026-03-31", "--tz", "Asia/Shanghai"]);
    expect(md.out).toContain("2026-03-01 – 2026-03-31 (UTC+8)");
    const bad = await run(["--tz", "Beijing"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"Beijing" is not a time zone');
  });

  it("--scope limits the report to one Discord server", async () => {
    const r = await run(["--since", "2026-03-01..2026-03-31", "--scope", "discord:900000000000000001"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("赵六");
    expect(r.out).not.toContain("张三");
    expect(r.out).toContain("discord:900000000000000001");
  });

  it("a value it cannot read is a user error (exit 1) with a message saying what to write", async () => {
    const bad = await run(["--since", "lastweek"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Period "lastweek" not understood');
    const notADate = await run(["--from", "2026-02-30"]);
    expect(notADate.code).toBe(1);
    expect(notADate.err).toContain("YYYY-MM-DD");
    const backwards = await run(["--from", "2026-03-10", "--to", "2026-03-01"]);
    expect(backwards.code).toBe(1);
    expect(backwards.err).toContain("--to is before --from");
  });

  it("wrong usage exits 2 with the usage text", async () => {
    for (const args of [
      ["--format", "pdf"],
      ["--bogus"],
      ["--since", "30d", "--from", "2026-03-01"],
      ["--scope", "slack:1"],
      ["--out"],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toContain("Usage: roleplay report");
    }
  });

  it("a file it cannot write is a user error", async () => {
    for (const format of ["md", "csv"]) {
      const file = join(dir, "no-such-dir", `r.${format}`);
      const r = await run(["--format", format, "--out", file]);
      expect(r.code).toBe(1);
      expect(r.err).toContain("Could not write");
      expect(existsSync(`${file}.partial`)).toBe(false);
    }
  });

  it("through the roleplay command: --format html --out report.html writes one file with its charts", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: string[] = [];
    stderr.on("data", (c) => chunks.push(String(c)));
    const file = join(dir, "report.html");
    const code = await main(
      ["report", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "html", "--out", file],
      createCliContext(env, { stdout, stderr }),
    );
    expect(chunks.join("")).toContain("report.html");
    expect(code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, "utf8");
    expect(html).toContain('<canvas id="chart-scores"');
    expect(html).toContain("Chart.js v4");
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
});
