// The crash soak in the suite: the real bot killed with SIGKILL at 20 random moments in polling and
// in webhook mode against the Telegram Bot API emulator (tests/support/telegram-soak.ts). No
// message lost, none answered twice, a reply sent twice only by a kill inside the send, every
// evaluation delivered within 90 s of the restart. `npm run soak` runs a longer version.
import { afterAll, beforeAll, describe, it } from "vitest";
import type { FakeLlm } from "../support/fake-llm.ts";
import { describeSoak, expectSoakHolds, runSoak, startSoakLlm } from "../support/telegram-soak.ts";

const KILLS = 20;
let llm: FakeLlm;
beforeAll(async () => {
  llm = await startSoakLlm(300);
});
afterAll(async () => {
  await llm.close();
});

describe("kill -9 at random moments, again and again", () => {
  for (const [mode, seed] of [
    ["polling", 11],
    ["webhook", 29],
  ] as const) {
    it(`${mode}: ${KILLS} kills lose no message, answer none twice, and deliver every evaluation within 90 s of the restart`, async () => {
      const f = await runSoak(llm, {
        mode,
        seed,
        kills: KILLS,
        killAfterMs: 300,
        killSpreadMs: 1500,
        users: [801, 802, 803],
        perSession: 3,
      });
      process.stdout.write(describeSoak(f));
      if (f.sent === 0) process.stdout.write(`the bot said:\n${f.tail}\n`);
      expectSoakHolds(f, KILLS);
    }, 240_000);
  }
});
