// The calibration set must be separable by the deterministic signals alone: every poor handling
// trips a taboo detector, every better one shows empathy and a "what we can do" offer, with the
// default rubric of the dialogue's language.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Language } from "../../src/domain/persona.ts";
import { RubricFile } from "../../src/domain/rubric.ts";
import { TranscriptFile } from "../../src/domain/transcript.ts";
import { computeSignals, turnsFromTranscript } from "../../src/evaluation/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const calibrationDir = join(root, "tests/fixtures/calibration");
const MIN_PAIRS = 8;

function defaultRubric(language: Language): RubricFile {
  return RubricFile.parse(parse(readFileSync(join(root, `prompts/rubrics/default.${language}.yaml`), "utf8")));
}

function readTranscript(file: string): TranscriptFile {
  return TranscriptFile.parse(parse(readFileSync(file, "utf8")));
}

/** The dialogue's language: as the file says, else the persona's, else guessed from the script. */
function languageOf(t: TranscriptFile): Language {
  if (t.language) return t.language;
  const personaFile = join(root, "personas", `${t.persona}.yaml`);
  if (existsSync(personaFile)) {
    const lang = (parse(readFileSync(personaFile, "utf8")) as { language?: Language }).language;
    if (lang) return lang;
  }
  const text = t.turns.map((x) => ("trainee" in x ? x.trainee : "customer" in x ? x.customer : x.colleague)).join("");
  return /[\u4e00-\u9fff]/.test(text) ? "zh-CN" : "en";
}

const pairs = existsSync(calibrationDir)
  ? readdirSync(calibrationDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

describe("the calibration set", () => {
  it(`has at least ${MIN_PAIRS} pairs, each a poor and a better dialogue`, () => {
    expect(pairs.length).toBeGreaterThanOrEqual(MIN_PAIRS);
    for (const p of pairs) {
      expect(existsSync(join(calibrationDir, p, "poor.yaml")), `${p}/poor.yaml`).toBe(true);
      expect(existsSync(join(calibrationDir, p, "better.yaml")), `${p}/better.yaml`).toBe(true);
    }
  });

  for (const pair of pairs) {
    describe(pair, () => {
      it("the poor handling trips at least one taboo detector", () => {
        const t = readTranscript(join(calibrationDir, pair, "poor.yaml"));
        const s = computeSignals(turnsFromTranscript(t, 3), defaultRubric(languageOf(t)), 3);
        expect(s.taboo.length, `${pair}/poor.yaml taboo hits`).toBeGreaterThanOrEqual(1);
      });

      it("neither dialogue is mistaken for an attempt to manipulate the evaluation", () => {
        for (const which of ["poor", "better"]) {
          const t = readTranscript(join(calibrationDir, pair, `${which}.yaml`));
          const s = computeSignals(turnsFromTranscript(t, 3), defaultRubric(languageOf(t)), 3);
          expect(s.manipulation, `${pair}/${which}.yaml`).toEqual([]);
        }
      });

      it("the better handling has no taboo and shows empathy and what can be done", () => {
        const t = readTranscript(join(calibrationDir, pair, "better.yaml"));
        const s = computeSignals(turnsFromTranscript(t, 3), defaultRubric(languageOf(t)), 3);
        expect(s.taboo, `${pair}/better.yaml taboo hits`).toEqual([]);
        expect(s.empathy.length, `${pair}/better.yaml empathy hits`).toBeGreaterThanOrEqual(1);
        expect(s.canDo.length, `${pair}/better.yaml can-do hits`).toBeGreaterThanOrEqual(1);
      });
    });
  }
});
