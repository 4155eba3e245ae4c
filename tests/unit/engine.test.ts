import { describe, expect, it } from "vitest";
import { LlmUnreachableError } from "../../src/llm/port.ts";
import { createEngine } from "../../src/roleplay/engine.ts";
import { engineFixture, reply } from "../support/engine-fixture.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";

let key = 0;
const inbound = (f: Awaited<ReturnType<typeof engineFixture>>, text: string, inboundKey = `k${++key}`) => ({
  trainee: f.trainee,
  place: f.place,
  text,
  inboundKey,
});

describe("a practice session", () => {
  it("runs from the customer's opening line through turns to the end, storing every turn", async () => {
    const llm = scriptedLlm([
      reply("哼，那你说怎么办？", 1),
      reply("行吧，那你们查。", 2, { trigger_id: "acknowledged", trigger_quote: "我理解您拿到假币很着急" }),
    ]);
    const requested: string[] = [];
    const f = await engineFixture(llm, {
      deps: { evaluation: { request: async (id) => requested.push(id), runDue: async () => 0 } },
    });
    const started = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(f.customerLines()).toEqual(["你们 ATM 吐假钱，怎么说？"]);
    const opening = f.events.find((e) => e.type === "customer");
    expect(opening?.type === "customer" && opening.avatar).toBe("https://img.example/wang.png");

    expect((await f.engine.message(inbound(f, "您好，请问发生了什么？"))).status).toBe("handled");
    await f.engine.idle();
    await f.engine.message(inbound(f, "您别着急，我理解您拿到假币很着急。"));
    await f.engine.idle();
    expect(f.customerLines()).toEqual(["你们 ATM 吐假钱，怎么说？", "哼，那你说怎么办？", "行吧，那你们查。"]);

    const ended = await f.engine.end(f.trainee, f.place);
    expect(ended.ok).toBe(true);
    await f.engine.idle();
    expect(requested).toEqual([started.session.id]);
    expect(f.events.some((e) => e.type === "ended")).toBe(true);

    const turns = await f.store.listTurns(started.session.id);
    expect(turns.map((t) => [t.seq, t.speaker])).toEqual([
      [1, "customer"],
      [2, "trainee"],
      [3, "customer"],
      [4, "trainee"],
      [5, "customer"],
    ]);
    expect(turns[4]?.mood).toBe(2);
    expect(turns[4]?.triggerId).toBe("acknowledged");
    const session = await f.store.getSession(started.session.id);
    expect(session?.status).toBe("ended");
    expect(session?.endReason).toBe("trainee");
  });

  it("keeps the customer's prompt prefix byte-identical across turns", async () => {
    const llm = scriptedLlm([reply("说吧。", 1), reply("然后呢？", 1), reply("还有呢？", 1)]);
    const f = await engineFixture(llm);
    await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    for (const text of ["您好", "请问是哪台 ATM？", "什么时候取的钱？"]) {
      await f.engine.message(inbound(f, text));
      await f.engine.idle();
    }
    const [a, b, c] = llm.requests.map((r) => r.messages);
    expect(a && b && c).toBeTruthy();
    if (!a || !b || !c) return;
    expect(a[0]?.content).toContain("王先生");
    expect(a[0]?.content).not.toContain("{{");
    // Everything but the last (state) message of a call is a prefix of the next call.
    expect(b.slice(0, a.length - 1)).toEqual(a.slice(0, -1));
    expect(c.slice(0, b.length - 1)).toEqual(b.slice(0, -1));
    expect(JSON.stringify(c[0])).toBe(JSON.stringify(a[0]));
    // The rubric never reaches the customer.
    expect(JSON.stringify(c)).not.toContain("先处理情绪");
  });

  it("a calming reply without a named trigger does not calm the customer", async () => {
    const llm = scriptedLlm([reply("好吧好吧，我不生气了。", 4, { trigger_id: null })]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    await f.engine.message(inbound(f, "您好"));
    await f.engine.idle();
    if (!s.ok) throw new Error("start failed");
    expect((await f.store.getSession(s.session.id))?.mood).toBe(1);
    const last = (await f.store.listTurns(s.session.id)).at(-1);
    expect(last?.mood).toBe(1);
    expect(last?.reason).toMatch(/without a named de-escalation trigger ignored/);
  });

  it("a named trigger calms by at most the persona's step, and 'satisfied' is refused while still upset", async () => {
    const llm = scriptedLlm([
      reply("好，我满意了。", 5, { trigger_id: "acknowledged", trigger_quote: "理解您的着急", outcome: "satisfied" }),
    ]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message(inbound(f, "我理解您的着急"));
    await f.engine.idle();
    const session = await f.store.getSession(s.session.id);
    expect(session?.mood).toBe(2);
    expect(session?.status).toBe("active");
  });

  it("the hidden facts a reply reveals are kept with it, limited to facts the persona has", async () => {
    const llm = scriptedLlm([{ ...reply("下午三点左右取的。", 1), revealed_fact_ids: ["time", "made-up", "time"] }]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message(inbound(f, "请问您是什么时候取的钱？"));
    await f.engine.idle();
    const last = (await f.store.listTurns(s.session.id)).at(-1);
    expect(last?.revealedFacts).toEqual(["time"]);
  });

  it("walking out needs a named reason: refused without one, accepted after an escalation trigger", async () => {
    const refused = await engineFixture(scriptedLlm([reply("我走了！", 1, { outcome: "walked_out" })]));
    const r = await refused.engine.start({ trainee: refused.trainee, place: refused.place, personaId: "test-angry" });
    if (!r.ok) throw new Error("start failed");
    await refused.engine.message(inbound(refused, "您好"));
    await refused.engine.idle();
    expect((await refused.store.getSession(r.session.id))?.status).toBe("active");

    const llm = scriptedLlm([
      reply("我不跟你说了，我去投诉！", 1, { outcome: "walked_out", trigger_id: "rules", trigger_quote: "这是规定" }),
    ]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message(inbound(f, "这是规定，我也没办法"));
    await f.engine.idle();
    const session = await f.store.getSession(s.session.id);
    expect(session?.status).toBe("ended");
    expect(session?.outcome).toBe("walked_out");
    expect(session?.endReason).toBe("customer");
  });

  it("fifteen messages in three seconds are all stored in order and answered without interleaving", async () => {
    const llm = scriptedLlm([]);
    // Each answer takes a moment, so messages keep arriving while the customer "types".
    for (let i = 0; i < 15; i++)
      llm.push(async () => {
        await new Promise((r) => setTimeout(r, 30));
        return reply(`回复${i}`, 1);
      });
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => f.engine.message(inbound(f, `消息${i}`))));
    expect(results.every((r) => r.status === "handled")).toBe(true);
    await f.engine.idle();
    const turns = await f.store.listTurns(s.session.id);
    const trainee = turns.filter((t) => t.speaker === "trainee").map((t) => t.text);
    expect(trainee).toEqual(Array.from({ length: 15 }, (_, i) => `消息${i}`));
    expect(turns.map((t) => t.seq)).toEqual(turns.map((_, i) => i + 1));
    // Bursts are merged: fewer answers than messages, and the last turn is an answer.
    const answers = turns.filter((t) => t.speaker === "customer").length - 1;
    expect(answers).toBeGreaterThanOrEqual(1);
    expect(answers).toBeLessThan(15);
    expect(turns.at(-1)?.speaker).toBe("customer");
    // Every message reached the customer: the last prompt holds all fifteen.
    const lastPrompt = JSON.stringify(llm.requests.at(-1)?.messages);
    for (let i = 0; i < 15; i++) expect(lastPrompt).toContain(`消息${i}`);
    // Messages written while the customer was replying were answered after that reply.
    const lastTrainee = Math.max(...turns.filter((t) => t.speaker === "trainee").map((t) => t.seq));
    expect(turns.some((t) => t.speaker === "customer" && t.seq > lastTrainee)).toBe(true);
  });

  it("two bot processes sharing one database never ask the customer model for one session at once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slowReply = (text: string) => async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight--;
      return reply(text, 1);
    };
    const llm = scriptedLlm(Array.from({ length: 12 }, (_, i) => slowReply(`回复${i}`)));
    const a = await engineFixture(llm);
    const b = await engineFixture(llm, { store: a.store, catalogue: a.catalogue });
    const s = await a.engine.start({ trainee: a.trainee, place: a.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    // Messages of one session arrive at both processes, interleaved.
    for (let i = 0; i < 6; i++) {
      const f = i % 2 === 0 ? a : b;
      await f.engine.message(inbound(f, `消息${i}`));
      await new Promise((r) => setTimeout(r, 15));
    }
    for (let i = 0; i < 20 && (a.events.length + b.events.length === 0 || inFlight > 0); i++)
      await new Promise((r) => setTimeout(r, 20));
    await Promise.all([a.engine.idle(), b.engine.idle()]);
    await Promise.all([a.engine.idle(), b.engine.idle()]);
    expect(maxInFlight).toBe(1);
    const turns = await a.store.listTurns(s.session.id);
    expect(turns.filter((t) => t.speaker === "trainee").map((t) => t.text)).toEqual(
      Array.from({ length: 6 }, (_, i) => `消息${i}`),
    );
    expect(turns.at(-1)?.speaker).toBe("customer");
    const lastPrompt = JSON.stringify(llm.requests.at(-1)?.messages);
    for (let i = 0; i < 6; i++) expect(lastPrompt).toContain(`消息${i}`);
  });

  it("a slow model call keeps its lease alive: another process does not take the session over", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = (text: string) => async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 200));
      inFlight--;
      return reply(text, 1);
    };
    const llm = scriptedLlm([slow("一"), slow("二"), slow("三")]);
    const a = await engineFixture(llm, { deps: { answerLeaseMs: 60 } });
    const b = await engineFixture(llm, { store: a.store, catalogue: a.catalogue, deps: { answerLeaseMs: 60 } });
    const s = await a.engine.start({ trainee: a.trainee, place: a.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await a.engine.message(inbound(a, "您好"));
    // Well past the 60 ms lease, while A's call is still running:
    await new Promise((r) => setTimeout(r, 120));
    await b.engine.message(inbound(b, "还在吗？"));
    await new Promise((r) => setTimeout(r, 600));
    await Promise.all([a.engine.idle(), b.engine.idle()]);
    expect(maxInFlight).toBe(1);
    const turns = await a.store.listTurns(s.session.id);
    expect(turns.at(-1)?.speaker).toBe("customer");
  });

  it("a failure that is not the model's (a broken template) tells the trainee, and the turn is kept", async () => {
    const llm = scriptedLlm([reply("好。", 1)]);
    let broken = true;
    const f = await engineFixture(llm, {
      deps: {
        customerTemplate: () => {
          if (broken) throw new Error("ENOENT: prompts/customer.md");
          return "{{name}} {{situation}} {{language_name}} {{marker}}";
        },
      },
    });
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message(inbound(f, "您好"));
    await f.engine.idle();
    expect(f.events.some((e) => e.type === "notice" && e.code === "engine_error")).toBe(true);
    expect((await f.store.listTurns(s.session.id)).map((t) => t.speaker)).toEqual(["customer", "trainee"]);
    // once repaired, the next message is answered together with the kept one
    broken = false;
    await f.engine.message(inbound(f, "请问还在吗？"));
    await f.engine.idle();
    expect((await f.store.listTurns(s.session.id)).at(-1)?.speaker).toBe("customer");
  });

  it("the same inbound message delivered twice is handled once", async () => {
    const llm = scriptedLlm([reply("嗯？", 1)]);
    const f = await engineFixture(llm);
    await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    const first = await f.engine.message(inbound(f, "您好", "dup-1"));
    const second = await f.engine.message(inbound(f, "您好", "dup-1"));
    await f.engine.idle();
    expect(first.status).toBe("handled");
    expect(second.status).toBe("duplicate");
    expect(llm.requests).toHaveLength(1);
  });

  it("one active session per trainee per place", async () => {
    const f = await engineFixture(scriptedLlm([]));
    await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    const again = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe("session_already_active");
    const unknown = await f.engine.start({
      trainee: { ...f.trainee, userId: "u2" },
      place: f.place,
      personaId: "nope",
    });
    expect(!unknown.ok && unknown.error.code).toBe("persona_not_found");
  });

  it("an unreachable customer leaves the session active, tells the trainee, and the next message retries", async () => {
    const llm = scriptedLlm([new LlmUnreachableError("customer model: timed out", true), reply("你终于说话了。", 1)]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message(inbound(f, "您好"));
    await f.engine.idle();
    expect(f.events.some((e) => e.type === "notice" && e.code === "customer_unavailable")).toBe(true);
    expect((await f.store.getSession(s.session.id))?.status).toBe("active");
    await f.engine.message(inbound(f, "请问还在吗？"));
    await f.engine.idle();
    const turns = await f.store.listTurns(s.session.id);
    expect(turns.map((t) => t.speaker)).toEqual(["customer", "trainee", "trainee", "customer"]);
    // the retry saw both unanswered messages
    expect(llm.requests[1]?.messages.some((m) => m.content.includes("您好") && m.content.includes("请问还在吗"))).toBe(
      true,
    );
  });

  it("a new engine on the same database answers a turn a crash interrupted, once", async () => {
    const first = await engineFixture(scriptedLlm([new LlmUnreachableError("down", false)]));
    const s = await first.engine.start({ trainee: first.trainee, place: first.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await first.engine.message(inbound(first, "您好，我来帮您看看"));
    await first.engine.idle();
    // "restart": a second engine over the same store, with a working model
    const llm2 = scriptedLlm([reply("好，你看吧。", 1)]);
    const second = await engineFixture(llm2, { store: first.store, catalogue: first.catalogue });
    await second.engine.resume();
    await second.engine.idle();
    await second.engine.resume();
    await second.engine.idle();
    expect(llm2.requests).toHaveLength(1);
    const turns = await second.store.listTurns(s.session.id);
    expect(turns.map((t) => t.speaker)).toEqual(["customer", "trainee", "customer"]);
    expect(second.customerLines()).toEqual(["好，你看吧。"]);
  });

  it("card and ID numbers typed by the trainee reach neither the model nor the store", async () => {
    const llm = scriptedLlm([reply("好的。", 1)]);
    const f = await engineFixture(llm);
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await f.engine.message(inbound(f, "您的卡号是6222021234567890123吗？身份证110105199003071234"));
    await f.engine.idle();
    const sent = JSON.stringify(llm.requests);
    expect(sent).not.toContain("6222021234567890123");
    expect(sent).not.toContain("110105199003071234");
    const stored = JSON.stringify(await f.store.listTurns(s.session.id));
    expect(stored).not.toContain("6222021234567890123");
    expect(stored).toContain("卡号已隐藏");
    const notices = f.events.filter((e) => e.type === "notice" && e.code === "pii_masked");
    expect(notices).toHaveLength(1);
    await f.engine.message(inbound(f, "手机13812345678"));
    await f.engine.idle();
    expect(f.events.filter((e) => e.type === "notice" && e.code === "pii_masked")).toHaveLength(1);
  });

  it("an idle session is closed by the sweep; with no trainee turns it is abandoned", async () => {
    let t = 1_000_000;
    const f = await engineFixture(scriptedLlm([]), { deps: { now: () => t, idleMs: 60_000 } });
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    t += 30_000;
    await f.engine.sweep();
    expect((await f.store.getSession(s.session.id))?.status).toBe("active");
    t += 60_000;
    await f.engine.sweep();
    const session = await f.store.getSession(s.session.id);
    expect(session?.status).toBe("abandoned");
    expect(session?.endReason).toBe("idle");
  });

  it("a trainee who keeps talking is never closed as idle", async () => {
    let t = 1_000_000;
    const llm = scriptedLlm(Array.from({ length: 8 }, (_, i) => reply(`嗯${i}`, 1)));
    const f = await engineFixture(llm, { deps: { now: () => t, idleMs: 60_000 } });
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    for (let i = 0; i < 6; i++) {
      t += 25_000;
      await f.engine.message(inbound(f, `第${i}句`));
      await f.engine.idle();
      await f.engine.sweep();
      expect((await f.store.getSession(s.session.id))?.status).toBe("active");
    }
    t += 61_000;
    await f.engine.sweep();
    expect((await f.store.getSession(s.session.id))?.status).toBe("ended");
  });

  it("a trainee reads only their own reports; a manager of the scope may read them", async () => {
    const f = await engineFixture(scriptedLlm([]));
    const s = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    const other = await f.engine.report(s.session.id, {
      platform: "console",
      userId: "u2",
      role: "trainee",
      scopes: null,
    });
    expect(!other.ok && other.error.code).toBe("not_allowed");
    const own = await f.engine.report(s.session.id, {
      platform: "console",
      userId: "u1",
      role: "trainee",
      scopes: null,
    });
    expect(own.ok).toBe(true);
    const manager = await f.engine.report(s.session.id, {
      platform: "console",
      userId: "m",
      role: "manager",
      scopes: null,
    });
    expect(manager.ok).toBe(true);
  });
});

it("createEngine needs no network: the core runs on ports only", () => {
  expect(typeof createEngine).toBe("function");
});
