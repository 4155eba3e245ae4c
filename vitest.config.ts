import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The executable the integration tests spawn runs dist/: rebuilt first when the sources changed.
    globalSetup: ["tests/support/fresh-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
  },
});
