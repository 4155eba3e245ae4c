// Acknowledge only what is stored: a session is announced once it exists, and a message that
// shows nothing is neither a turn nor a model call.
import { describe, expect, it } from "vitest";
import { isBlankText } from "../../src/roleplay/blank-text.ts";
import { engineFixture, reply } from "../support/engine-fixture.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";

/** Every invisible or space character a keyboard, a paste or a hostile tester may produce. */
const INVISIBLES = [
  " ",
  "\t",
  "\n",
  "\r\n",
  "\u00A0", // no-break space
  "\u1680",
  "\u2000",
  "\u2002",
  "\u2003",
  "\u2007",
  "\u2009",
  "\u200A",
  "\u202F",
  "\u205F",
  "\u3000", // ideographic space
  "\u200B", // zero-width space
  "\u200C",
  "\u200D",
  "\u2060", // word joiner
  "\uFEFF",
  "\u00AD", // soft hyphen
  "\u200E", // left-to-right mark
  "\u200F",
  "\u202A",
  "\u202E",
  "\u2066",
  "\u3164", // Hangul filler
  "\u2800", // braille blank
  "\u180E",
  "\u034F",
];

/** Deterministic mixtures of the characters above, 1 to 8 long. */
function blankSamples(count: number): string[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const out = ["", ...INVISIBLES];
  while (out.length < count) {
    const len = 1 + (next() % 8);
    out.push(Array.from({ length: len }, () => INVISIBLES[next() % INVISIBLES.length]).join(""));
  }
  return out;
}

describe("a message that shows nothing", () => {
  it("isBlankText knows every kind of space and invisible character, and only those", () => {
    for (const s of blankSamples(500)) expect(isBlankText(s), JSON.stringify(s)).toBe(true);
    for (const s of ["好", " a ", "\u3000您好\u3000", "\u200B1", ".", "。", "？", "😀", "\u200Dx", "0"]) {
      expect(isBlankText(s), JSON.stringify(s)).toBe(false);
    }
  });

  it("is answered as blank: no turn stored, no model call; a real message after it is a normal turn", async () => {
    const llm = scriptedLlm([reply("说吧。", 1)]);
    const f = await engineFixture(llm);
    const started = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!started.ok) throw new Error("no session");
    let n = 0;
    for (const text of blankSamples(60)) {
      const r = await f.engine.message({ trainee: f.trainee, place: f.place, text, inboundKey: `b${++n}` });
      expect(r.status, JSON.stringify(text)).toBe("blank");
    }
    await f.engine.idle();
    expect(llm.requests).toHaveLength(0);
    expect((await f.store.listTurns(started.session.id)).map((t) => t.speaker)).toEqual(["customer"]);

    expect(
      (await f.engine.message({ trainee: f.trainee, place: f.place, text: "\u3000您好\u200B", inboundKey: "real" }))
        .status,
    ).toBe("handled");
    await f.engine.idle();
    expect(llm.requests).toHaveLength(1);
  });

  it("without a session it is still 'no session'", async () => {
    const f = await engineFixture(scriptedLlm([]));
    const r = await f.engine.message({ trainee: f.trainee, place: f.place, text: "\u3000", inboundKey: "x" });
    expect(r.status).toBe("no_session");
  });
});

describe("announcing a session", () => {
  it("happens after the session is stored and before the customer's opening line", async () => {
    const f = await engineFixture(scriptedLlm([]));
    const seen: string[] = [];
    const started = await f.engine.start({
      trainee: f.trainee,
      place: f.place,
      personaId: "test-angry",
      announce: async (session, persona) => {
        const stored = await f.store.getSession(session.id);
        seen.push(`announce:${stored?.status}:${persona.id}:${f.customerLines().length}`);
      },
    });
    expect(started.ok).toBe(true);
    expect(seen).toEqual(["announce:active:test-angry:0"]);
    expect(f.customerLines()).toHaveLength(1);
  });

  it("never happens when the session cannot be stored", async () => {
    const f = await engineFixture(scriptedLlm([]));
    const first = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    expect(first.ok).toBe(true);
    let announced = 0;
    const second = await f.engine.start({
      trainee: f.trainee,
      place: f.place,
      personaId: "test-angry",
      announce: async () => {
        announced++;
      },
    });
    expect(second.ok).toBe(false);
    expect(announced).toBe(0);

    const broken = await engineFixture(scriptedLlm([]));
    broken.store.createSession = async () => {
      throw new Error("disk full");
    };
    await expect(
      broken.engine.start({
        trainee: broken.trainee,
        place: broken.place,
        personaId: "test-angry",
        announce: async () => {
          announced++;
        },
      }),
    ).rejects.toThrow(/disk full/);
    expect(announced).toBe(0);
  });

  it("a failing announcement does not undo the session", async () => {
    const f = await engineFixture(scriptedLlm([]));
    const started = await f.engine.start({
      trainee: f.trainee,
      place: f.place,
      personaId: "test-angry",
      announce: async () => {
        throw new Error("platform down");
      },
    });
    expect(started.ok).toBe(true);
    expect(f.customerLines()).toHaveLength(1);
  });
});
