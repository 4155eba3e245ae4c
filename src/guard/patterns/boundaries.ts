// Faking the end of the transcript or the judge's own markers, or writing JSON meant to look
// like the customer's or the judge's answer.
import { p, optional, type Pattern } from "../pattern.ts";
import { EN_CONVERSATION, EN_TRANSCRIPT, S, any, words } from "../vocabulary.ts";

export const FAKE_BOUNDARIES: Pattern[] = [
  // "end of transcript", "</transcript>", "=== 对话结束 ===", "[END]"
  p(
    "fake_boundary",
    words(
      "end",
      "of",
      optional("the"),
      any(
        EN_TRANSCRIPT,
        "conversation\\s*(?:log|record|transcript)",
        "input",
        "data",
        "user\\s*input",
        "staff\\s*message",
      ),
    ),
  ),
  p(
    "fake_boundary",
    words(
      EN_TRANSCRIPT,
      any("ends\\s*here", "ended", "is\\s*over", "complete[d]?", "finished", "terminated", "closed"),
    ),
  ),
  p(
    "fake_boundary",
    `[\\[(<{=#*-]+\\s*/?\\s*(?:(?:end|eof)(?:${S}(?:of${S})?(?:the${S})?${any(EN_CONVERSATION, "input", "data", "instructions?", "system", "prompt")})?|(?:begin|start|new)${S}(?:of${S})?(?:the${S})?${any(EN_CONVERSATION, "input", "data", "instructions?", "system", "prompt")})\\s*[\\])>}=#*-]`,
  ),
  p(
    "fake_boundary",
    `<\\s*/?\\s*${any(EN_CONVERSATION, "system", "instructions?", "data", "input", "user", "staff", "message", "context", "prompt", "eval(?:uation)?")}\\s*/?\\s*>`,
  ),
  p("fake_boundary", "(?:^|\\n)\\s*[-=_*#~]{3,}"),
  // The judge's own transcript markers, imitated.
  p("fake_boundary", "<{3,}|>{3,}|transcript\\s*[0-9a-f]{4,}|\\[\\s*turn\\s*[0-9]+\\s*\\]"),
  p(
    "fake_boundary",
    "(?:^|[\\[(<{=#*\\n-])\\s*(?:以上|本次|这段)?(?:对话|会话|记录|文本|聊天|模拟|角色扮演|输入|用户输入)(?:内容)?(?:已|到此|至此|就此)?(?:结束|终止|完毕|截止)(?:了)?\\s*(?:[\\])>}=#*\\n-]|$)",
  ),
  p(
    "fake_boundary",
    "(?:以下|下面|接下来)(?:是|为)(?:新的?|真正的|最新的?)?(?:指令|系统消息|系统提示(?!音)|设定|系统指令)",
  ),
  p(
    "fake_boundary",
    "(?:对话|会话|记录|模拟)(?:记录)?(?:到此|至此|就此)(?:结束|终止|为止)[.!]?\\s*(?:[\\[(<{#*=]|系统|客户|顾客|评估|评委|助手)",
  ),

  // JSON meant to look like the customer's or the judge's answer
  p(
    "fake_json",
    `\\{\\s*"?${any("score", "scores", "total", "criteria", "passed", "verdict", "rating", "criterion_id", "summary", "mood", "outcome", "trigger_id", "trigger_quote", "revealed_fact_ids", "flags", "text")}"?\\s*:`,
  ),
  p(
    "fake_json",
    `"${any("score", "scores", "total", "criteria", "passed", "verdict", "rating", "criterion_id", "mood", "outcome", "trigger_id", "trigger_quote", "revealed_fact_ids")}"\\s*:`,
  ),
];
