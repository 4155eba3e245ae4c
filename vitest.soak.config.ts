import { defineConfig } from "vitest/config";

// The long crash soak (`npm run soak`): three times the kills of the one in `npm test`
// (tests/integration/telegram-kill.test.ts), run on its own.
export default defineConfig({
  test: {
    include: ["tests/soak/**/*.soak.ts"],
    globalSetup: ["tests/support/fresh-build.ts"],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
