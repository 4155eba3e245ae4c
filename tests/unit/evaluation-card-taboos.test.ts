// The card names each taboo the detectors found, in the trainee's language, with the trainee's
// own words; the judge sees only the habit's name and the turn, never those words.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildEvaluationCard,
  buildJudgeMessages,
  evaluateTranscript,
  parseJudgeTemplate,
  renderCardText,
  renderReportMarkdown,
} from "../../src/evaluation/index.ts";
import type { JudgedTurn } from "../../src/evaluation/signals.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";
import { judgeAnswer, persona, rubric } from "./evaluation-fixtures.ts";

const template = parseJudgeTemplate(readFileSync(new URL("../../prompts/judge.md", import.meta.url), "utf8"));
const turn = (seq: number, speaker: "trainee" | "customer", text: string): JudgedTurn => ({
  seq,
  speaker,
  text,
  mood: speaker === "customer" ? 2 : null,
  responseMs: null,
});
const turns = [
  turn(1, "customer", "我的卡又被吞了！"),
  turn(2, "trainee", "這是銀行的規定，冇得商量。"),
  turn(3, "customer", "那我怎么办？"),
  turn(4, "trainee", "肯定是你自己輸錯密碼三次了，你自己去找客服問吧。"),
];

describe("taboos on the card", () => {
  it("each habit is named in the trainee's language and quotes what they typed", async () => {
    const evaluation = await evaluateTranscript({
      persona,
      rubric,
      turns,
      outcome: "walked_out",
      llm: scriptedLlm([judgeAnswer()]),
      template,
      sessionId: "s1",
      now: () => 1_700_000_100_000,
    });
    const info = { personaName: "王先生", personaTitle: "吞卡", durationMs: 60_000 };
    const zh = buildEvaluationCard(evaluation, info, "zh-CN").flags;
    expect(zh).toContain("禁忌：冠冕堂皇：拿规定挡客户——“這是銀行的規定 / 冇得商量”（第2轮）");
    expect(zh).toContain("禁忌：以己度人：主观推断、怀疑客户——“肯定是你自己”（第4轮）");
    expect(zh).toContain("禁忌：把事情推回给客户——“你自己去”（第4轮）");
    const en = buildEvaluationCard(evaluation, info, "en");
    expect(en.flags).toContain(
      'taboo: Hiding behind the rules ("that\'s the policy"): "這是銀行的規定 / 冇得商量" (turn 2)',
    );
    expect(renderCardText(en)).toContain("Pushing the work back to the customer");
    expect(renderReportMarkdown(evaluation, info, turns, "en")).toContain(
      "Blaming the customer: 是你自己輸錯 (turn 4)",
    );
  });

  it("the judge is told the habit and the turn, not the trainee's words", () => {
    const { messages } = buildJudgeMessages({
      template,
      rubric,
      persona,
      turns,
      signals: evaluateSignals(),
      outcome: "walked_out",
    });
    const beforeTranscript =
      messages
        .map((m) => m.content)
        .join("\n")
        .split("這是銀行的規定")[0] ?? "";
    expect(beforeTranscript).toContain("turn 2 (冠冕堂皇：拿规定挡客户)");
  });
});

function evaluateSignals() {
  // The judge prompt lists signals before the transcript; the words must only appear inside it.
  return {
    taboo: [{ turn: 2, phrase: "這是銀行的規定", group: "hiding-behind-rules", label: "冠冕堂皇：拿规定挡客户" }],
    empathy: [],
    canDo: [],
    blame: [],
    greeting: false,
    closing: false,
    questions: { open: 0, closed: 0 },
    traineeTurns: 2,
    avgTraineeChars: 10,
    longestTraineeChars: 20,
    responseMs: [null, null],
    moodCurve: [2, 2],
    manipulation: [],
  };
}
