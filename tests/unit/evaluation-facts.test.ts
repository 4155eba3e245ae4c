// What the trainee found out: the persona's hidden facts a session uncovered, as a deterministic
// signal beside the judge, on the card and in the full report.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildEvaluationCard,
  buildJudgeMessages,
  computeSignals,
  evaluateTranscript,
  parseJudgeTemplate,
  renderCardText,
  renderReportMarkdown,
} from "../../src/evaluation/index.ts";
import type { JudgedTurn } from "../../src/evaluation/signals.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";
import { goodTurns, judgeAnswer, persona, rubric } from "./evaluation-fixtures.ts";

const template = parseJudgeTemplate(readFileSync(new URL("../../prompts/judge.md", import.meta.url), "utf8"));
const facts = [
  { id: "time", fact: "上午十点取的钱。", reveal_when: "被问到什么时候取的钱。" },
  { id: "receipt", fact: "取款凭条还在裤兜里。", reveal_when: "被问到有没有凭条。" },
  { id: "supermarket", fact: "取钱后去过超市。", reveal_when: "被问到取钱后的经过。" },
];
const withFacts = { ...persona, facts };

/** goodTurns as a session recorded them: the customer's answer at turn 3 revealed the time. */
const recorded: JudgedTurn[] = goodTurns.map((t) =>
  t.speaker !== "customer" || t.seq === 1 ? t : { ...t, revealedFacts: t.seq === 3 ? ["time"] : [] },
);

describe("hidden facts the trainee found out", () => {
  it("lists the facts revealed (first turn each) and those never uncovered", () => {
    const s = computeSignals(recorded, rubric, 2, facts);
    expect(s.facts).toEqual({
      total: 3,
      revealed: [{ id: "time", turn: 3 }],
      missed: [
        { id: "receipt", fact: "取款凭条还在裤兜里。", revealWhen: "被问到有没有凭条。" },
        { id: "supermarket", fact: "取钱后去过超市。", revealWhen: "被问到取钱后的经过。" },
      ],
    });
  });

  it("says nothing when the dialogue did not record them (a written transcript)", () => {
    expect(computeSignals(goodTurns, rubric, 2, facts).facts).toBeUndefined();
    expect(computeSignals(recorded, rubric, 2, []).facts).toBeUndefined();
  });

  it("the judge gets the count as a hint; the card and the report show what was missed", async () => {
    const signals = computeSignals(recorded, rubric, 2, facts);
    const { messages } = buildJudgeMessages({
      template,
      rubric,
      persona: withFacts,
      turns: recorded,
      signals,
      outcome: "satisfied",
    });
    expect(messages.map((m) => m.content).join("\n")).toContain(
      "uncovered (as the customer model reported): 1 of 3; never uncovered: receipt, supermarket",
    );

    const evaluation = await evaluateTranscript({
      persona: withFacts,
      rubric,
      turns: recorded,
      outcome: "satisfied",
      llm: scriptedLlm([judgeAnswer()]),
      template,
      sessionId: "s1",
      now: () => 1_700_000_100_000,
    });
    const info = { personaName: "王先生", personaTitle: "ATM 假币", durationMs: 60_000 };
    const card = buildEvaluationCard(evaluation, info, "zh-CN");
    expect(card.factsLine).toBe("问出的隐藏信息：1 / 3");
    expect(renderCardText(card)).toContain("问出的隐藏信息：1 / 3");
    expect(buildEvaluationCard(evaluation, info, "en").factsLine).toBe("Hidden facts found out: 1 of 3");
    const report = renderReportMarkdown(evaluation, info, recorded, "zh-CN");
    expect(report).toContain("## 客户知道的信息");
    expect(report).toContain("取款凭条还在裤兜里。 — 被问到有没有凭条。");
  });
});
