// One error root: every error the program throws is a RoleplayError with a stable code, an exit
// code and a sentence in the user's language; the command line dispatches on the class.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { LlmNotConfiguredError } from "../../src/app.ts";
import { main } from "../../src/cli.ts";
import { ArgsError } from "../../src/cli/args.ts";
import { createCliContext, UsageError, UserError } from "../../src/cli/context.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { EXIT_USAGE, EXIT_USER_ERROR, RoleplayError } from "../../src/errors/index.ts";
import { PatternError } from "../../src/evaluation/detectors/pattern.ts";
import { InvalidJudgementError } from "../../src/evaluation/verify.ts";
import { Cancelled, TimedOut } from "../../src/llm/faults.ts";
import { LlmRefusedError, LlmUnreachableError } from "../../src/llm/port.ts";
import { DigestScheduleError } from "../../src/reports/digest.ts";
import { DatabaseOpenError, DatabaseTooNewError, DatabaseUrlError, openStore } from "../../src/store/index.ts";
import { SessionAlreadyActiveError } from "../../src/store/port.ts";
import { classifyDatabaseFault, isUniqueViolation } from "../../src/store/faults.ts";

const CJK = /[\u3400-\u9fff]/;

function everyError(): RoleplayError[] {
  return [
    new ConfigError([{ variable: "LLM_TIMEOUT_MS", expected: "a whole number of milliseconds" }]),
    new UserError("no such folder"),
    new UsageError("roleplay evaluate SESSION"),
    new ArgsError("unknown option --x"),
    new InvalidJudgementError([{ code: "missing_criterion", criterionId: "empathy" }]),
    new PatternError("gapRange", "99", 4),
    new LlmRefusedError("customer model: HTTP 429 from api.example", 429, "rate_limited"),
    new LlmUnreachableError("judge model: no answer from api.example within 100 ms", true),
    new TimedOut(),
    new Cancelled(),
    new LlmNotConfiguredError(["LLM_MODEL"]),
    new SessionAlreadyActiveError("s1"),
    new DigestScheduleError("every monday", "invalid pattern"),
    new DatabaseUrlError("mysql://admin:pw@db/x"),
    new DatabaseTooNewError(4, 9),
    new DatabaseOpenError(
      "postgres://u:secret@127.0.0.1:1/db",
      Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    ),
  ];
}

describe("one error root", () => {
  it("every error class is a RoleplayError with a code, an exit code and its own name", () => {
    for (const e of everyError()) {
      expect(e).toBeInstanceOf(RoleplayError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code, e.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect([EXIT_USER_ERROR, EXIT_USAGE]).toContain(e.exitCode);
      expect(e.name).toBe(e.constructor.name);
      expect(e.message).toBe(e.localized("en"));
    }
  });

  it("usage errors exit 2, everything else 1", () => {
    const usage = everyError().filter((e) => e.exitCode === EXIT_USAGE);
    expect(usage.map((e) => e.name).sort()).toEqual(["ArgsError", "UsageError"]);
  });

  it("errors with words of their own speak Chinese to a Chinese user", () => {
    // UserError and UsageError carry a message already written in the user's language.
    const own = everyError().filter((e) => !(e instanceof UserError || e instanceof UsageError));
    for (const e of own) {
      const zh = e.localized("zh-CN");
      expect(zh, e.name).toMatch(CJK);
      expect(zh).not.toBe(e.localized("en"));
    }
  });

  it("a database that cannot be opened never shows its password, in either language", () => {
    const e = everyError().find((x) => x instanceof DatabaseOpenError) as DatabaseOpenError;
    expect(e.fault).toEqual({ kind: "refused", code: "ECONNREFUSED" });
    for (const language of ["en", "zh-CN"] as const) expect(e.localized(language)).not.toContain("secret");
    expect(e.localized("zh-CN")).toContain("没有响应");
  });
});

describe("the database boundary's classifier", () => {
  it("tells faults apart by the drivers' codes", () => {
    const fault = (code: string) => classifyDatabaseFault(Object.assign(new Error("whatever text"), { code }));
    expect(fault("28P01").kind).toBe("auth");
    expect(fault("3D000").kind).toBe("no_database");
    expect(fault("SQLITE_BUSY").kind).toBe("locked");
    expect(fault("ENOTDIR").kind).toBe("path_blocked");
    expect(fault("toString").kind).toBe("other");
    expect(classifyDatabaseFault("not an error")).toEqual({ kind: "other", code: null });
    expect(isUniqueViolation({ code: "23505" })).toBe(true);
    expect(isUniqueViolation({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" })).toBe(true);
    expect(isUniqueViolation({ code: "SQLITE_CONSTRAINT_NOTNULL" })).toBe(false);
  });

  it("an SQLite path through a file is classified from the real driver's error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "errors-db-"));
    try {
      const file = join(dir, "plain-file");
      writeFileSync(file, "x");
      const err = await openStore(`sqlite:${join(file, "db.sqlite")}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseOpenError);
      expect((err as DatabaseOpenError).fault.kind).toBe("path_blocked");
      expect((err as DatabaseOpenError).localized("zh-CN")).toContain("本应是文件夹");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (d) => (err += d));
  const code = await main(args, createCliContext({ LOG_LEVEL: "silent", ...env }, { stdout, stderr }));
  return { code, err };
}

describe("the command line dispatches on the error's class", () => {
  it("a DATABASE_URL it cannot read: exit 1, said in the user's language", async () => {
    const zh = await cli(["db", "migrate"], { BOT_LANGUAGE: "zh-CN", DATABASE_URL: "mysql://admin:pw@db/x" });
    expect(zh.code).toBe(1);
    expect(zh.err).toContain("无法识别 DATABASE_URL");
    expect(zh.err).not.toContain("DatabaseUrlError");
    const en = await cli(["db", "migrate"], { BOT_LANGUAGE: "en", DATABASE_URL: "mysql://admin:pw@db/x" });
    expect(en.code).toBe(1);
    expect(en.err).toContain('DATABASE_URL "mysql://admin:***@db/x" is not understood');
  });

  it("an invalid configuration: every wrong variable, exit 1", async () => {
    expect(() => loadConfig({ LLM_TIMEOUT_MS: "soon" })).toThrow(ConfigError);
    const r = await cli(["db", "migrate"], { BOT_LANGUAGE: "zh-CN", LLM_TIMEOUT_MS: "soon" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("配置有误");
    expect(r.err).toContain("LLM_TIMEOUT_MS");
  });
});
