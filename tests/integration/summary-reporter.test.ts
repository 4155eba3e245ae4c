// The closing line of `npm test` tells the truth: a file or suite that could not run is a failure.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("the closing line", () => {
  it("counts a failing beforeAll (file or suite) and an import error as failed, and agrees with the exit code", () => {
    const vitest = path.join(root, "node_modules/vitest/vitest.mjs");
    const r = spawnSync(
      process.execPath,
      [
        vitest,
        "run",
        "--config",
        "tests/fixtures/reporter/vitest.config.ts",
        "--reporter=./tests/support/summary-reporter.ts",
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CI: "true" },
        timeout: 120_000,
      },
    );
    const lines = r.stdout.trim().split("\n");
    // passing.check.ts: 1 passed, 1 skipped; suite-before-all: 1 passed, 1 skipped + its broken suite;
    // before-all: 2 skipped + the file; import-error: the file.
    expect(lines.at(-1)).toBe("2 passed, 3 failed, 4 skipped");
    expect(r.status).toBe(1);
  }, 120_000);
});
