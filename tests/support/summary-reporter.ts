// Ends the run with a plain "N passed, N failed[, N skipped]" line: the CI log reader
// recognises that line and not vitest's own summary.
import type { Reporter, TestModule } from "vitest/node";

export interface RunCount {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts tests, and counts each file or suite that could not run (an import error, a failing
 * beforeAll or afterAll) as one failure: its tests show as skipped, but vitest fails the run, and
 * the closing line must not read "0 failed" then.
 */
export function countRun(testModules: ReadonlyArray<TestModule>, runErrors: ReadonlyArray<unknown>): RunCount {
  const count: RunCount = { passed: 0, failed: 0, skipped: 0 };
  for (const mod of testModules) {
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") count.passed++;
      else if (state === "failed") count.failed++;
      else count.skipped++;
    }
    for (const unit of [mod, ...mod.children.allSuites()]) if (unit.errors().length > 0) count.failed++;
  }
  count.failed += runErrors.length;
  return count;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    const { passed, failed, skipped } = countRun(testModules, errors);
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
