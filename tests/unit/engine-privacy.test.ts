// The engine's side of masking: what it stores, returns and sends the model, including a number
// sent in two halves and text that is not valid UTF-16.
import { describe, expect, it } from "vitest";
import { engineFixture, reply } from "../support/engine-fixture.ts";
import { cardNumber, rng } from "../support/pii-corpus.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";

describe("the engine masks what it keeps", () => {
  it("a card sent in two halves is masked in both stored turns and in what the model reads next", async () => {
    const llm = scriptedLlm([reply("嗯？", 1), reply("然后呢？", 1), reply("好。", 1)]);
    const f = await engineFixture(llm);
    const started = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!started.ok) throw new Error("start failed");
    const card = cardNumber(rng(7));
    let key = 0;
    const say = (text: string) =>
      f.engine.message({ trainee: f.trainee, place: f.place, text, inboundKey: `k${++key}` });

    const first = await say(card.slice(0, 9));
    await f.engine.idle();
    expect(first).toMatchObject({ status: "handled", text: card.slice(0, 9) });
    const second = await say(`${card.slice(9)} 这个`);
    await f.engine.idle();
    expect(second).toMatchObject({ status: "handled", text: "［卡号已隐藏］ 这个" });

    const trainee = (await f.store.listTurns(started.session.id)).filter((t) => t.speaker === "trainee");
    expect(trainee.map((t) => t.text)).toEqual(["［卡号已隐藏］", "［卡号已隐藏］ 这个"]);
    const lastRequest = JSON.stringify(llm.requests.at(-1));
    expect(lastRequest).not.toContain(card.slice(0, 9));
    expect(lastRequest).not.toContain(card.slice(9));
  });

  it("a lone surrogate is stored as U+FFFD, and a resent message returns the stored text", async () => {
    const f = await engineFixture(scriptedLlm([reply("嗯。", 1)]));
    const started = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!started.ok) throw new Error("start failed");
    const inbound = { trainee: f.trainee, place: f.place, text: "您好\ud83d，手机13812345678", inboundKey: "same" };
    const first = await f.engine.message(inbound);
    await f.engine.idle();
    expect(first).toMatchObject({ status: "handled", text: "您好\ufffd，手机［手机号已隐藏］" });
    expect(await f.engine.message(inbound)).toMatchObject({
      status: "duplicate",
      text: "您好\ufffd，手机［手机号已隐藏］",
    });
  });
});
