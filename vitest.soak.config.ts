import { defineConfig } from "vitest/config";

// The crash soak (`npm run soak`): kills the real bot many times, so it runs apart from `npm test`.
export default defineConfig({
  test: {
    include: ["tests/soak/**/*.soak.ts"],
    globalSetup: ["tests/support/fresh-build.ts"],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
