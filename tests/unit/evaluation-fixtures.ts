// Shared material for the evaluation tests: a small rubric whose totals are easy to compute by
// hand, a persona with a critical scenario check, a short transcript, and judge answers.
import { PersonaFile } from "../../src/domain/persona.ts";
import { RubricFile } from "../../src/domain/rubric.ts";
import type { Turn } from "../../src/domain/session.ts";
import type { JudgeOutput } from "../../src/evaluation/judge.ts";
import type { JudgedTurn } from "../../src/evaluation/signals.ts";

export const rubric = RubricFile.parse({
  id: "test-rubric",
  language: "zh-CN",
  name: "测试评分标准",
  version: 3,
  scale: { min: 1, max: 5 },
  pass_mark: 60,
  criteria: [
    {
      id: "empathy",
      name: "共情",
      weight: 50,
      description: "先处理心情",
      levels: { "1": "无", "3": "套话", "5": "具体" },
    },
    {
      id: "questions",
      name: "提问",
      weight: 30,
      description: "问清情况",
      levels: { "1": "不问", "3": "问了", "5": "问准" },
    },
    {
      id: "solution",
      name: "方案",
      weight: 20,
      description: "给出方案",
      levels: { "1": "没有", "3": "含糊", "5": "具体" },
    },
  ],
  phrases: {
    taboo: [{ id: "rules", label: '推诿"这是规定"', phrases: ["这是规定"] }],
    empathy: ["理解您", "非常抱歉"],
    greeting: ["您好"],
    closing: ["还有其他需要"],
    blame: ["你自己"],
    can_do: ["我们可以"],
    open_question: ["什么", "怎么", "哪"],
  },
});

export const persona = PersonaFile.parse({
  id: "test-counterfeit",
  version: 2,
  name: "王先生",
  title: "ATM 疑似假币",
  language: "zh-CN",
  archetype: "angry",
  difficulty: "medium",
  channel: "branch",
  who_opens: "customer",
  identity: { background: "五金店老板", speech: "短句" },
  situation: "在门口取款机取到两张号码相同的一百元。",
  wants: "银行认真对待并给出处理时间。",
  facts: [{ id: "secret-fact", fact: "取钱后去过超市", reveal_when: "被问到取钱后的经过" }],
  opening: ["你们取款机出假钱！"],
  emotion: {
    mood_start: 2,
    patience: 5,
    escalation: [{ id: "doubted", description: "被怀疑" }],
    deescalation: [{ id: "heard", description: "被倾听" }],
  },
  endings: { satisfied: "得到具体答复" },
  hard_limits: ["HIDDEN-RULE: never mention the supermarket"],
  rubric: "test-rubric",
  scenario_checks: [
    { id: "verified-first", description: "赔付之前先核验钞票", critical: true },
    { id: "moved-aside", description: "请客户到安静处" },
  ],
});

let at = 1_700_000_000_000;
function turn(
  seq: number,
  speaker: Turn["speaker"],
  text: string,
  mood: number | null = null,
  responseMs: number | null = null,
): JudgedTurn & Pick<Turn, "at"> {
  at += 20_000;
  return { seq, speaker, text, mood, responseMs, at };
}

/** A decent handling: greeting, empathy, an open question, an offer, a closing. */
export const goodTurns = [
  turn(1, "customer", "你们取款机出假钱！两张号码一模一样！", 2),
  turn(2, "trainee", "您好，取到疑似假币肯定让您很着急，我理解您的心情。您是什么时候在哪台机器取的钱？", null, 12_000),
  turn(3, "customer", "上午十点，门口那台。", 2),
  turn(4, "trainee", "我们可以先帮您核对那台机器的交易记录和录像，今天下午四点前给您回电话。", null, 9_000),
  turn(5, "customer", "行，那我等你电话。", 4),
  turn(6, "trainee", "请问还有其他需要我帮您的吗？", null, 4_000),
];

/** A judge answer for goodTurns with scores 4/3/5 (weighted total 72.5) and real quotes. */
export function judgeAnswer(overrides: Partial<JudgeOutput> = {}): JudgeOutput {
  return {
    criteria: [
      {
        criterion_id: "empathy",
        observation: "学员一开口就说出了客户的着急。",
        evidence: [{ turn: 2, quote: "取到疑似假币肯定让您很着急" }],
        score: 4,
        better_phrasing: { you_said: "我理解您的心情", turn: 2, try_instead: "换作是我也会着急，您先坐下慢慢说。" },
      },
      {
        criterion_id: "questions",
        observation: "问了时间和机器。",
        evidence: [{ turn: 2, quote: "您是什么时候在哪台机器取的钱？" }],
        score: 3,
        better_phrasing: { you_said: null, turn: null, try_instead: "再问一句取钱后钱放在哪里。" },
      },
      {
        criterion_id: "solution",
        observation: "给出了具体的核对步骤和回电时间。",
        evidence: [{ turn: 4, quote: "今天下午四点前给您回电话" }],
        score: 5,
        better_phrasing: null,
      },
    ],
    scenario_checks: [
      { check_id: "verified-first", verdict: "yes", note: "先提出核对记录。" },
      { check_id: "moved-aside", verdict: "not_applicable", note: "电话场景未涉及。" },
    ],
    flags: { taboos: [], manipulation: [], principle_violations: [] },
    summary: "整体处理得当，先安抚再处理。",
    ...overrides,
  };
}
