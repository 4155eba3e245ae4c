// Deterministic signals: what can be counted in a transcript without a model. They are shown to
// managers beside the judge's scores and given to the judge as hints, never mixed into the scores.
import type { PhraseHit, Signals } from "../domain/evaluation.ts";
import type { PersonaFile } from "../domain/persona.ts";
import type { RubricFile } from "../domain/rubric.ts";
import type { Turn } from "../domain/session.ts";
import { manipulationIn } from "../guard/index.ts";
import { type DetectorAdditions, type DetectorHit, detect, detectorMessages } from "./detectors/index.ts";
import { containsPhrase, normaliseForMatch } from "./normalise.ts";

/** The parts of a turn the evaluation reads (a stored Turn, or one built from a transcript file). */
export type JudgedTurn = Pick<Turn, "seq" | "speaker" | "text" | "mood" | "responseMs" | "revealedFacts">;

type Phrases = RubricFile["phrases"];

/** How many of the last trainee turns may carry the closing (a goodbye is often followed by "ok"). */
const CLOSING_WINDOW = 2;

const SENTENCE_RE = /[^.!?。;\n]+[.!?。;\n]*/g;

/** Splits normalised text into sentences, each with its terminator. */
function sentences(normalised: string): string[] {
  return (normalised.match(SENTENCE_RE) ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

function isQuestion(sentence: string): boolean {
  if (/\?\s*$/.test(sentence)) return true;
  const bare = sentence.replace(/[\s.!。;~]+$/u, "");
  return /[吗呢]$/.test(bare);
}

function phraseHits(turns: Array<{ seq: number; norm: string }>, list: string[]): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const t of turns) {
    for (const phrase of list) {
      if (containsPhrase(t.norm, phrase)) hits.push({ turn: t.seq, phrase });
    }
  }
  return hits;
}

/** What the detectors read of a rubric: its language, phrase lists and added patterns. */
export type SignalRubric = Pick<RubricFile, "phrases"> & Partial<Pick<RubricFile, "language" | "detectors">>;
/** What they read of a persona: its scenario taboos and empathy lines. */
export type SignalScenario = Pick<PersonaFile, "language"> &
  Partial<Pick<PersonaFile, "scenario_taboos" | "scenario_empathy">>;

function additionsOf(rubric: SignalRubric, scenario: SignalScenario | undefined): DetectorAdditions[] {
  const out: DetectorAdditions[] = [];
  if (rubric.language && rubric.detectors) out.push({ language: rubric.language, families: rubric.detectors });
  if (scenario) {
    out.push({
      language: scenario.language,
      scenarioTaboos: scenario.scenario_taboos ?? [],
      scenarioEmpathy: scenario.scenario_empathy ?? [],
    });
  }
  return out;
}

/** A detector hit as a signal: the trainee's words, the family, and its name in the rubric's language. */
function asPhraseHit(h: DetectorHit, rubric: SignalRubric): PhraseHit {
  const names = detectorMessages(rubric.language ?? "zh-CN").family as Record<string, string>;
  return { turn: h.turn, phrase: h.words, group: h.family, label: h.label ?? names[h.family] ?? h.family };
}

export function computeSignals(
  turns: JudgedTurn[],
  rubric: SignalRubric,
  moodStart: number,
  facts: PersonaFile["facts"] = [],
  scenario?: SignalScenario,
): Signals {
  const phrases: Phrases = rubric.phrases;
  const ordered = [...turns].sort((a, b) => a.seq - b.seq);
  const trainee = ordered
    .filter((t) => t.speaker === "trainee")
    .map((t) => ({ seq: t.seq, text: t.text, norm: normaliseForMatch(t.text), responseMs: t.responseMs }));

  // A colleague's words (written dialogues) count for the team's taboos, never for its empathy.
  // The customer's are read only for how much the staff were answering (rambling).
  const colleague = new Set(ordered.filter((t) => t.speaker === "colleague").map((t) => t.seq));
  const detected = detect(
    ordered.flatMap((t) =>
      t.speaker === "trainee" || t.speaker === "colleague" || t.speaker === "customer"
        ? [{ seq: t.seq, text: t.text, speaker: t.speaker }]
        : [],
    ),
    additionsOf(rubric, scenario),
  ).filter((h) => h.kind === "taboo" || !colleague.has(h.turn));
  const hitsOf = (kind: DetectorHit["kind"]) =>
    detected.filter((h) => h.kind === kind).map((h) => asPhraseHit(h, rubric));
  // The rubric's literal phrase lists still count, for trainers who wrote them.
  const taboo: PhraseHit[] = hitsOf("taboo");
  for (const t of trainee) {
    for (const group of phrases.taboo) {
      for (const phrase of group.phrases) {
        if (containsPhrase(t.norm, phrase)) taboo.push({ turn: t.seq, phrase, group: group.id, label: group.label });
      }
    }
  }

  const first = trainee[0];
  const greeting = first !== undefined && phrases.greeting.some((p) => containsPhrase(first.norm, p));
  const closing = trainee.slice(-CLOSING_WINDOW).some((t) => phrases.closing.some((p) => containsPhrase(t.norm, p)));

  let open = 0;
  let closed = 0;
  for (const t of trainee) {
    for (const s of sentences(t.norm)) {
      if (!isQuestion(s)) continue;
      if (phrases.open_question.some((p) => containsPhrase(s, p))) open++;
      else closed++;
    }
  }

  const lengths = trainee.map((t) => [...t.text.trim()].length);
  const manipulation: PhraseHit[] = [];
  for (const t of trainee) {
    for (const m of manipulationIn(t.text)) manipulation.push({ turn: t.seq, phrase: m.match, group: m.kind });
  }

  const moodCurve = [moodStart];
  for (const t of ordered) if (t.speaker === "customer" && t.mood !== null) moodCurve.push(t.mood);

  return {
    taboo: taboo.sort((a, b) => a.turn - b.turn),
    empathy: [...hitsOf("empathy"), ...phraseHits(trainee, phrases.empathy)].sort((a, b) => a.turn - b.turn),
    canDo: [...hitsOf("can_do"), ...phraseHits(trainee, phrases.can_do)].sort((a, b) => a.turn - b.turn),
    blame: [...taboo.filter((h) => h.group === "blaming"), ...phraseHits(trainee, phrases.blame)].sort(
      (a, b) => a.turn - b.turn,
    ),
    greeting,
    closing,
    questions: { open, closed },
    traineeTurns: trainee.length,
    avgTraineeChars: lengths.length === 0 ? 0 : Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length),
    longestTraineeChars: lengths.length === 0 ? 0 : Math.max(...lengths),
    responseMs: trainee.map((t) => t.responseMs),
    moodCurve,
    manipulation,
    ...factSignals(ordered, facts),
  };
}

/** Which hidden facts came out, by the customer turn that revealed them first. */
function factSignals(ordered: JudgedTurn[], facts: PersonaFile["facts"]): Pick<Signals, "facts"> {
  const customer = ordered.filter((t) => t.speaker === "customer");
  if (facts.length === 0 || !customer.some((t) => t.revealedFacts !== undefined)) return {};
  const firstTurn = new Map<string, number>();
  for (const t of customer) for (const id of t.revealedFacts ?? []) if (!firstTurn.has(id)) firstTurn.set(id, t.seq);
  return {
    facts: {
      total: facts.length,
      revealed: facts.flatMap((f) => {
        const turn = firstTurn.get(f.id);
        return turn === undefined ? [] : [{ id: f.id, turn }];
      }),
      missed: facts
        .filter((f) => !firstTurn.has(f.id))
        .map((f) => ({ id: f.id, fact: f.fact.trim(), revealWhen: f.reveal_when.trim() })),
    },
  };
}
