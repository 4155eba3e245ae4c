import { describe, expect, it } from "vitest";
import type { EvaluationCard } from "../../src/domain/evaluation.ts";
import {
  customerLine,
  escapeHtml,
  formatDuration,
  longText,
  renderEvaluationCard,
  TELEGRAM_TEXT_LIMIT,
} from "../../src/platforms/telegram/render.ts";

function card(over: Partial<EvaluationCard> = {}): EvaluationCard {
  return {
    language: "en",
    title: "Evaluation · Counterfeit note <ATM>",
    personaName: "Mr Wang",
    total: 72.5,
    passed: true,
    passMark: 60,
    totalLine: "72.5 / 100 · passed",
    criteria: [
      { name: "Empathy & calm", score: 4, min: 1, max: 5, bar: "▰▰▰▰▱", lowConfidence: false },
      { name: "Solution", score: 2, min: 1, max: 5, bar: "▰▰▱▱▱", lowConfidence: true },
    ],
    strengths: [
      { criterion: "Empathy & calm", quote: "I understand <this> is upsetting", turn: 2, note: "Named the feeling" },
    ],
    improvements: [
      {
        criterion: "Solution",
        youSaid: "That's the rule & that's it",
        turn: 4,
        tryInstead: "Let me check what we can do <today>",
      },
    ],
    outcome: "satisfied",
    outcomeLabel: "Satisfied",
    moodCurve: "▁▂▃▅",
    traineeTurns: 5,
    durationMs: 185_000,
    droppedQuotes: 1,
    flags: ["Taboo: <blame>"],
    summary: "Good start; <b>weak</b> close.",
    labels: {
      criteria: "Criteria",
      strengths: "Strengths",
      improvements: "To improve",
      youSaid: "You said",
      tryInstead: "Try",
      outcome: "Outcome",
      mood: "Mood",
      turns: "Turns",
      duration: "Duration",
      lowConfidence: "low confidence",
      droppedQuotes: "1 quote not found",
      flags: "Flags",
    },
    ...over,
  };
}

/** The tags our renderer itself writes; anything else that looks like a tag came unescaped. */
function foreignTags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z]+)[^>]*>/gi)].map((m) => m[1] as string).filter((t) => !["b", "i"].includes(t));
}

describe("Telegram rendering", () => {
  it("escapes the characters Telegram's HTML treats as markup", () => {
    expect(escapeHtml(`a < b && c > "d"`)).toBe(`a &lt; b &amp;&amp; c &gt; "d"`);
  });

  it("a customer line with markup-like text is escaped, and carries the persona's name in groups only", () => {
    const [inGroup] = customerLine("王<先生>", "我要 <b>投诉</b> & 退款", true);
    expect(inGroup?.html).toBe("<b>王&lt;先生&gt;</b>\n我要 &lt;b&gt;投诉&lt;/b&gt; &amp; 退款");
    expect(inGroup?.plain).toBe("王<先生>\n我要 <b>投诉</b> & 退款");
    const [inPrivate] = customerLine("王先生", "你好", false);
    expect(inPrivate?.html).toBe("你好");
  });

  it("a 9000-character reply is split at sentence ends into parts of at most 4096 characters", () => {
    const sentence = "您这样说我就更着急了，我到底什么时候能拿回我的钱？";
    const text = sentence.repeat(Math.ceil(9000 / sentence.length)).slice(0, 9000 - 1) + "。";
    const parts = customerLine("王先生", text, true);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(p.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(p.plain.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    }
    // Nothing lost or repeated: the parts (without the name header) put back give the text.
    const body = parts.map((p, i) => (i === 0 ? p.plain.slice("王先生\n".length) : p.plain)).join("");
    expect(body.replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
    // Cut after a sentence end, not in the middle of one.
    for (const p of parts.slice(0, -1)) expect(p.plain).toMatch(/[？。]$/);
  });

  it("text that grows when escaped is still cut so each HTML message fits", () => {
    const text = "&<>".repeat(3000);
    const parts = longText(text);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(p.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.map((p) => p.plain).join("")).toBe(text);
  });

  it("the evaluation card shows every section with the card's own labels, and escapes what the judge wrote", () => {
    const [first, ...rest] = renderEvaluationCard(card());
    expect(rest).toHaveLength(0);
    const html = first?.html ?? "";
    expect(foreignTags(html)).toEqual([]);
    for (const s of [
      "<b>Evaluation · Counterfeit note &lt;ATM&gt;</b>",
      "72.5 / 100 · passed",
      "Empathy &amp; calm  ▰▰▰▰▱ 4/5",
      "Solution  ▰▰▱▱▱ 2/5 (low confidence)",
      "“I understand &lt;this&gt; is upsetting”</i> (#2)",
      "You said: <i>“That's the rule &amp; that's it”</i> (#4)",
      "Try: “Let me check what we can do &lt;today&gt;”",
      "Outcome: Satisfied",
      "Mood: ▁▂▃▅",
      "Turns: 5 · Duration: 3:05",
      "1 quote not found",
      "• Taboo: &lt;blame&gt;",
      "<i>Good start; &lt;b&gt;weak&lt;/b&gt; close.</i>",
    ]) {
      expect(html).toContain(s);
    }
    expect(first?.plain).toContain("Good start; <b>weak</b> close.");
  });

  it("a card too long for one message is spread over several, each within the limit", () => {
    const long = card({
      summary: "A very long summary sentence. ".repeat(400),
      flags: Array.from({ length: 50 }, (_, i) => `flag ${i} `.repeat(10)),
    });
    const parts = renderEvaluationCard(long);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts[0]?.html).toContain("<b>Evaluation");
  });

  it("durations read as minutes and seconds", () => {
    expect(formatDuration(65_000)).toBe("1:05");
    expect(formatDuration(3_725_000)).toBe("1:02:05");
  });
});
