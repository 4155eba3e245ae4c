// The long crash soak (`npm run soak`): what tests/integration/telegram-kill.test.ts runs in
// `npm test`, with three times as many kills, more trainees and longer sessions, in both modes.
import { afterAll, beforeAll, describe, it } from "vitest";
import type { FakeLlm } from "../support/fake-llm.ts";
import { describeSoak, expectSoakHolds, runSoak, startSoakLlm } from "../support/telegram-soak.ts";

const KILLS = Number(process.env.SOAK_KILLS ?? 60);
let llm: FakeLlm;
beforeAll(async () => {
  llm = await startSoakLlm(700);
});
afterAll(async () => {
  await llm.close();
});

describe("kill -9 at random moments, for longer", () => {
  for (const [mode, seed] of [
    ["polling", 101],
    ["webhook", 211],
  ] as const) {
    it(`${mode}: ${KILLS} kills`, async () => {
      const f = await runSoak(llm, {
        mode,
        seed,
        kills: KILLS,
        killAfterMs: 400,
        killSpreadMs: 2200,
        users: [801, 802, 803, 804],
        perSession: 4,
        // The backlog of 60 kills (hundreds of updates in webhook mode, one at a time) takes longer.
        settleMs: 240_000,
      });
      process.stdout.write(describeSoak(f));
      if (f.sent === 0) process.stdout.write(`the bot said:\n${f.tail}\n`);
      expectSoakHolds(f, KILLS);
    }, 900_000);
  }
});
