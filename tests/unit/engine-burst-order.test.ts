// A message sent while the customer is "typing" is stored before the reply, but the reply never saw
// it: the next prompt must show the reply right after the message it answered, and the new message
// after the reply, not merged with the answered one before it.
import { describe, expect, it } from "vitest";
import { inConversationOrder } from "../../src/roleplay/customer.ts";
import { engineFixture, reply } from "../support/engine-fixture.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";

describe("the customer reads the conversation as it happened", () => {
  it("puts each reply after the last turn it had seen, other turns in seq order", () => {
    const t = (seq: number, speaker: "trainee" | "customer", answersThrough?: number | null) => ({
      seq,
      speaker,
      answersThrough,
    });
    const turns = [t(1, "customer"), t(2, "trainee"), t(3, "trainee"), t(4, "customer", 2), t(5, "customer", 4)];
    expect(inConversationOrder(turns).map((x) => x.seq)).toEqual([1, 2, 4, 3, 5]);
    // Replies stored before schema version 5 (no record) stay where they are.
    const legacy = [t(1, "trainee"), t(2, "trainee"), t(3, "customer", null)];
    expect(inConversationOrder(legacy).map((x) => x.seq)).toEqual([1, 2, 3]);
  });

  it("a message sent while the customer was typing is not read as answered by that reply", async () => {
    let release: () => void = () => {};
    const typing = new Promise<void>((r) => {
      release = r;
    });
    let asked: () => void = () => {};
    const firstAsked = new Promise<void>((r) => {
      asked = r;
    });
    const llm = scriptedLlm([
      async () => {
        asked();
        await typing;
        return reply("第一句回答", 1);
      },
      reply("第二句回答", 1),
    ]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message({ trainee: f.trainee, place: f.place, text: "第一条消息", inboundKey: "b1" });
    await firstAsked;
    await f.engine.message({ trainee: f.trainee, place: f.place, text: "打字时发的第二条", inboundKey: "b2" });
    release();
    await f.engine.idle();
    expect(llm.requests).toHaveLength(2);
    const second = (llm.requests[1]?.messages ?? []).filter((m) => m.role !== "system").map((m) => m.role);
    const contents = (llm.requests[1]?.messages ?? []).filter((m) => m.role !== "system").map((m) => m.content);
    expect(second.slice(-3)).toEqual(["user", "assistant", "user"]);
    expect(contents.at(-3)).toMatch(/第一条消息$/);
    expect(contents.at(-2)).toBe("第一句回答");
    expect(contents.at(-1)).toMatch(/打字时发的第二条$/);
    await f.engine.close();
  });
});
