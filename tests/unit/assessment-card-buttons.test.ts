// An assessment's card offers no "Try again" on any platform: its attempts are counted.
import { describe, expect, it } from "vitest";
import { discordMessages } from "../../src/platforms/discord/messages.ts";
import { evaluationButtons } from "../../src/platforms/discord/render.ts";
import { evaluationKeyboard } from "../../src/platforms/telegram/outlet.ts";
import type { Session } from "../../src/domain/session.ts";

const session = { id: "s1", personaId: "p1" } as Session;

describe("an assessment's evaluation card", () => {
  it("has Full report and Try again in practice, only Full report in an assessment (Discord)", () => {
    const m = discordMessages("en");
    expect(evaluationButtons("s1", m).components).toHaveLength(2);
    const only = evaluationButtons("s1", m, true).components;
    expect(only).toHaveLength(1);
    expect(only[0]).toMatchObject({ label: m.fullReport });
  });

  it("has Full report and Try again in practice, only Full report in an assessment (Telegram)", () => {
    expect(evaluationKeyboard(session, "en").inline_keyboard[0]).toHaveLength(2);
    expect(
      evaluationKeyboard(session, "en", true).inline_keyboard[0]?.map((b) =>
        "callback_data" in b ? b.callback_data : "",
      ),
    ).toEqual(["rep:s1"]);
  });
});
