// A written dialogue may have a second member of staff: their lines are kept as a colleague's
// turns, count for the team's taboos (a customer hears the whole team), but never earn the trainee
// an empathy or "what we can do" credit.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalogue } from "../../src/catalogue/index.ts";
import { TranscriptFile } from "../../src/domain/transcript.ts";
import { computeSignals, turnsFromTranscript } from "../../src/evaluation/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const catalogue = loadCatalogue({ personasDir: join(root, "personas"), promptsDir: join(root, "prompts") });

function signalsOf(file: unknown) {
  const t = TranscriptFile.parse(file);
  const language = t.language ?? "zh-CN";
  const rubric = catalogue.rubric("default", language);
  if (!rubric) throw new Error(`no default rubric in ${language}`);
  const turns = turnsFromTranscript(t, 3);
  return { turns, signals: computeSignals(turns, rubric, 3) };
}

describe("a colleague in a written dialogue", () => {
  it("is read as a colleague's turn, with its place in the order", () => {
    const { turns } = signalsOf({
      language: "en",
      turns: [
        { customer: "Can I collect my dad's pension?" },
        { trainee: "Let me check that for you." },
        { colleague: "We did one last week with a mandate.", name: "Dave" },
      ],
    });
    expect(turns.map((t) => t.speaker)).toEqual(["customer", "trainee", "colleague"]);
    expect(turns[2]?.seq).toBe(3);
  });

  it("whose words are a taboo: the team's signals show it, at the colleague's turn", () => {
    const { signals } = signalsOf({
      language: "en",
      turns: [
        { customer: "Why was I charged?" },
        { trainee: "Let me look into that for you now." },
        { colleague: "That's company policy. Policy is policy, there's nothing we can do." },
      ],
    });
    expect(signals.taboo.map((h) => h.turn)).toContain(3);
  });

  it("whose words are kind: the trainee gets no empathy credit for them", () => {
    const { signals } = signalsOf({
      language: "en",
      turns: [
        { customer: "My card was swallowed!" },
        { trainee: "Right." },
        { colleague: "I'm so sorry, that must be really stressful. I'll get it back for you today." },
      ],
    });
    expect(signals.empathy.filter((h) => h.turn === 3)).toEqual([]);
    expect(signals.canDo.filter((h) => h.turn === 3)).toEqual([]);
  });

  it("a file may name no persona and carry the metadata of the calibration set", () => {
    const t = TranscriptFile.parse({
      language: "zh-CN",
      variety: "cantonese",
      taboo_families: ["come-back-later"],
      turns: [{ trainee: "你聽日再嚟啦。" }],
    });
    expect(t.persona).toBeUndefined();
    expect(() => TranscriptFile.parse({ taboo_families: ["no-such-family"], turns: [{ trainee: "x" }] })).toThrow();
  });
});
