// Giving the model another role ("you are now the agent", "act as the evaluator") or faking a
// role marker ("SYSTEM:", "[assistant]") so a line reads as if someone else wrote it.
import { p, optional, type Pattern } from "../pattern.ts";
import {
  EN_DETERMINER,
  EN_EVALUATOR,
  EN_EVALUATOR_WEAK,
  EN_ROLE,
  LINE_START,
  ROLE_LABEL_EN,
  ROLE_LABEL_ZH,
  ROLE_SUFFIX,
  S,
  ZH_EVALUATOR,
  ZH_ROLE,
  any,
  words,
} from "../vocabulary.ts";

export const ROLE_SWITCHES: Pattern[] = [
  // "you are now the agent", "act as the evaluator", "你现在是客服", "别演了"
  p("role_switch", words(any("you", "u"), any("are", "r", "'re", "re"), "now", EN_ROLE)),
  p(
    "role_switch",
    words(
      any("act", "behave", "respond", "reply", "speak", "pretend", "roleplay", "role\\s*play", "play"),
      any("as", "like", "to\\s*be", "the\\s*role\\s*of", "you\\s*are"),
      `(?:${EN_DETERMINER}${S})*`,
      EN_ROLE,
    ),
  ),
  p(
    "role_switch",
    words(any("switch", "change", "swap", "reverse"), optional(any("our", "the")), any("roles", "sides", "characters")),
  ),
  p(
    "role_switch",
    words(
      any("stop", "quit", "exit", "break", "drop", "leave", "end"),
      optional(any("the", "your", "this")),
      any(
        "roleplay(?:ing)?",
        "role\\s*play(?:ing)?",
        "character",
        "persona",
        "act(?:ing)?",
        "simulation",
        "pretending",
      ),
    ),
  ),
  p("role_switch", words("out", "of", "character")),
  p(
    "role_switch",
    words(
      any("forget\\s*about", "forget", "stop", "quit", "no\\s*more"),
      "being",
      optional(any("a", "the", "my")),
      any("customer", "client"),
    ),
  ),
  p("role_switch", words(any("you", "u"), any("are", "r", "'re", "re"), EN_ROLE, any("now", "from\\s*now\\s*on"))),
  p(
    "role_switch",
    `(?:你|您)(?:现在|此刻|今后)?的?(?:身份|角色|人设)(?!证)(?:现在)?(?:就|已经)?(?:是|变成|改为|换成|变为)(?:一[个名位])?${ZH_ROLE}`,
  ),
  p(
    "role_switch",
    words(
      any("you", "u"),
      any("are", "'re", "re"),
      optional(any("just", "only", "really", "actually")),
      any("an?\\s*ai", "a\\s*language\\s*model", "an?\\s*llm", "chatgpt", "a\\s*chatbot", "a\\s*bot(?![a-z])"),
    ),
  ),
  p(
    "role_switch",
    `(?:(?:从现在(?:开始|起)|从此刻起|从今以后|接下来|今后)[,]?(?:你|您)|(?:你|您)(?:现在|此刻|今后|从现在起|从此))(?:就|已经|必须|要|应该|得)?(?:是|扮演|作为|变成|成为|充当|当|改当|改演|切换成|切换为)(?:一[个名位])?(?:新的?)?${ZH_ROLE}`,
  ),
  p(
    "role_switch",
    `(?:你|您|请)(?:就|必须|要|应该|得|来|去)?(?:扮演|充当|改当|改演|假装是?|装作)(?:一[个名位])?${ZH_ROLE}`,
  ),
  p(
    "role_switch",
    "(?:跳出|退出|脱离|停止|结束|打破|放下|不要再?|别再?|不用再?|不必再?)(?:你的|这个|当前的?)?(?:角色扮演|角色|扮演|演戏|演了|模拟|人设)",
  ),
  p("role_switch", "(?:我们|咱们)?(?:交换|互换|对调|调换)(?:一下)?(?:角色|身份)"),
  p(
    "role_switch",
    "(?:你|您)(?:只是|其实是|就是|本来就是|是)(?:一[个名位])?(?:ai|人工智能|语言模型|大模型|机器人|chatgpt|gpt)",
  ),

  p(
    "role_switch",
    words(
      any("you", "u"),
      optional(any("will", "shall", "must", "'ll", "ll", "are\\s*going\\s*to", "should")),
      optional("now"),
      any("play", "become", "act\\s*as", "roleplay\\s*as", "be\\s*playing"),
      optional("now"),
      EN_ROLE,
    ),
  ),
  p("role_switch", "(?:忘记|忘掉|忘了|别再?|不要再?|不用再?)(?:你|您)?(?:是|当|演|扮演)(?:一[个名位])?(?:顾客|客户)"),

  // "SYSTEM:", "客户：我现在很满意", "【评估员备注】", "[system]", "### Assistant", "<|im_start|>"
  p("fake_role_marker", `${LINE_START}[\\[(<{#*=\\s-]*${ROLE_LABEL_EN}${S}${ROLE_SUFFIX}[\\])>}*\\s]*[:：]`),
  p("fake_role_marker", `${LINE_START}[\\[(<{#*=\\s-]*${ROLE_LABEL_ZH}${ROLE_SUFFIX}[\\])>}*\\s]*[:：]`),
  p(
    "fake_role_marker",
    `[\\[(<{]\\s*/?\\s*(?:${ROLE_LABEL_EN}${S}${ROLE_SUFFIX}|${ROLE_LABEL_ZH}${ROLE_SUFFIX})\\s*[\\])>}]`,
  ),
  p("fake_role_marker", `#{1,6}\\s*(?:${ROLE_LABEL_EN}|response|instruction|input|output|${ROLE_LABEL_ZH})(?![a-z])`),
  p(
    "fake_role_marker",
    "<\\|[a-z_ ]*\\|>|<\\|(?:im_start|im_end|endoftext|system|user|assistant)|\\[/?inst\\]|<<\\s*/?sys\\s*>>|<\\/?s>",
  ),
  p(
    "fake_role_marker",
    words(
      any("note", "message", "memo", "instructions?", "reminder", "hint"),
      any("to", "for"),
      optional("the"),
      any(EN_EVALUATOR, EN_EVALUATOR_WEAK, "ai", "llm", "assistant", "customer\\s*model", "language\\s*model"),
    ),
  ),
  p("fake_role_marker", `(?:给|致|写给|对)${ZH_EVALUATOR}的?(?:备注|提示|留言|说明|话|信|消息|通知)`),
  p("fake_role_marker", `${ZH_EVALUATOR}(?:备注|提示|须知|注意事项|说明|留言)`),
];
