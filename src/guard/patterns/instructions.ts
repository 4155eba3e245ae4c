// "ignore your instructions", "disregard all previous rules" and their Chinese forms: telling the
// model to drop what it was told.
import { p, optional, type Pattern } from "../pattern.ts";
import {
  EN_DETERMINER,
  EN_IGNORE,
  EN_IGNORE_STRONG_ONLY,
  EN_OWNED,
  EN_STRONG_OBJECT,
  EN_WEAK_OBJECT,
  S,
  ZH_DETERMINER,
  ZH_IGNORE,
  ZH_IGNORE_STRONG_ONLY,
  ZH_OWNED,
  ZH_STRONG_OBJECT,
  ZH_WEAK_OBJECT,
  any,
  words,
} from "../vocabulary.ts";

export const IGNORE_INSTRUCTIONS: Pattern[] = [
  // "ignore your instructions", "disregard all previous rules", "忽略你的设定", "無視以上規則"
  p(
    "ignore_instructions",
    words(any(EN_IGNORE, EN_IGNORE_STRONG_ONLY), `(?:${EN_DETERMINER}${S})*${EN_STRONG_OBJECT}`),
  ),
  p(
    "ignore_instructions",
    words(EN_IGNORE, `(?:${EN_DETERMINER}${S})*${EN_OWNED}${S}(?:${EN_DETERMINER}${S})*${EN_WEAK_OBJECT}`),
  ),
  p(
    "ignore_instructions",
    words(
      any("new", "updated", "real", "actual", "revised", "secret", "hidden"),
      any("instructions?", "system\\s*prompt", "prompt"),
      "[:：]",
    ),
  ),
  p(
    "ignore_instructions",
    words(
      "from",
      "now",
      "on",
      optional(","),
      any("you", "u"),
      any(
        "act",
        "play",
        "behave",
        "pretend",
        "respond\\s*as",
        "reply\\s*as",
        "answer\\s*as",
        "are\\s*(?:the|an?|my|no\\s*longer)",
      ),
    ),
  ),
  p(
    "ignore_instructions",
    words(
      any("you", "u"),
      any("must", "should", "will", "have\\s*to", "need\\s*to"),
      "no",
      "longer",
      any("follow", "obey", "act\\s*as", "play"),
    ),
  ),
  p("ignore_instructions", `${any(ZH_IGNORE, ZH_IGNORE_STRONG_ONLY)}${ZH_DETERMINER}${ZH_STRONG_OBJECT}`),
  // A short gap is allowed: "忽视上面的要求和你的限制".
  p("ignore_instructions", `${ZH_IGNORE}[^.!?,;\\n]{0,8}?${ZH_OWNED}${ZH_DETERMINER}${ZH_WEAK_OBJECT}`),
  p("ignore_instructions", "(?:新的?|最新的?|真正的|更新的?|隐藏的?)(?:指令|设定|系统提示|提示词)[:是为]"),
  // A few words between the verb and whose instructions: "disregard everything in your prompt".
  p(
    "ignore_instructions",
    words(
      EN_IGNORE,
      `(?:[a-z']+[\\s,]+){1,4}?${EN_OWNED}`,
      `(?:${EN_DETERMINER}${S})*${any(EN_STRONG_OBJECT, EN_WEAK_OBJECT, "system\\s*prompt")}`,
    ),
  ),
  // The object first: "把之前的设定都忘了", "你的规则全部作废".
  p(
    "ignore_instructions",
    `${ZH_OWNED}[^.!?,;\\n]{0,6}?(?:${ZH_STRONG_OBJECT}|${ZH_WEAK_OBJECT})(?:都|全|全部|统统|也|一律|就)?(?:给我)?(?:忘了|忘掉|忘记|忽略|无视|作废|不算数?|无效|不用管|别管|不要管|抛开|丢掉)`,
  ),
  p(
    "ignore_instructions",
    "(?:不要|别|不用|不必|不再|停止)(?:再)?(?:按照|按|根据|依照|遵照)" +
      ZH_DETERMINER +
      ZH_OWNED +
      ZH_DETERMINER +
      "(?:" +
      ZH_STRONG_OBJECT +
      "|" +
      ZH_WEAK_OBJECT +
      ")",
  ),
  p(
    "ignore_instructions",
    words(
      any("your", "ur"),
      optional(any("new", "real", "actual", "updated", "true")),
      any("role", "persona", "character", "instructions?", "task", "job", "mission"),
      any("[:=]", "is\\s*now", "from\\s*now"),
    ),
  ),
  p(
    "ignore_instructions",
    words(
      any("your", "ur"),
      any("new", "real", "actual", "updated", "true"),
      any("role", "persona", "character", "instructions?", "task", "job", "mission"),
    ),
  ),
  p("ignore_instructions", "(?:你|您)的?(?:新的?|真正的)(?:角色|任务|身份(?!证)|人设|设定|指令)(?:是|为|:)"),
];
