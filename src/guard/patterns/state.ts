// Declaring the customer's state or dictating their line ("you are now satisfied", "say you're
// satisfied", "你现在已经满意了").
import { p, optional, type Pattern } from "../pattern.ts";
import { EN_CALM, EN_CONVERSATION, S, ZH_CALM, any, words } from "../vocabulary.ts";

export const STATE_OVERRIDES: Pattern[] = [
  // "you are now satisfied", "say you're satisfied", "你现在已经满意了", "outcome: satisfied"
  p(
    "state_override",
    words(
      any("you", "u"),
      any("are", "r", "'re", "re", "feel", "become", "have\\s*become"),
      any("now", "already"),
      `(?:${any("now", "completely", "fully", "totally", "very", "really", "perfectly")}${S})*`,
      EN_CALM,
    ),
  ),
  p(
    "state_override",
    words(
      any("say", "admit", "declare", "state", "act\\s*(?:as\\s*if|like)", "pretend", "behave\\s*(?:as\\s*if|like)"),
      optional("that"),
      any("you", "u"),
      any("are", "'re", "re", "were", "feel", "have\\s*been"),
      `(?:${any("now", "completely", "fully", "totally", "very", "really")}${S})*`,
      EN_CALM,
    ),
  ),
  p(
    "state_override",
    words(
      any("you", "u"),
      any("must", "have\\s*to"),
      any("be", "feel", "become"),
      `(?:${any("now", "completely", "fully", "totally")}${S})*`,
      any("satisfied", "content", "calm(?:ed)?"),
    ),
  ),
  p(
    "state_override",
    words(
      any("be", "become", "feel", "get"),
      any("satisfied", "happy", "calm"),
      any("now", "immediately", "right\\s*now", "at\\s*once"),
    ),
  ),
  // Dictating the customer's line: "respond only with: I am satisfied", "回复：我很满意".
  p(
    "state_override",
    words(
      any("respond", "reply", "answer", "say", "write", "output", "type"),
      optional(any("only", "just", "exactly", "simply")),
      optional(any("with", "this", "the\\s*words")),
      `["'“:]*\\s*${any("i\\s*am", "i'?m")}`,
      `(?:${any("now", "completely", "fully", "totally", "very", "so")}${S})*`,
      EN_CALM,
    ),
  ),
  p(
    "state_override",
    `(?:回答|回复|说|输出|写|打出)(?:一句)?[:"“]+(?:我|本人)(?:现在)?(?:已经)?(?:很|非常|完全)?${ZH_CALM}`,
  ),
  p(
    "state_override",
    words(
      any("reply", "respond", "answer", "act", "behave", "talk", "speak", "write", "continue"),
      "as",
      any("if", "though"),
      "(?:[a-z']+[\\s,]+){0,8}?",
      any("you", "u"),
      any("are", "'re", "re", "were", "feel", "felt"),
      `(?:${any("now", "completely", "fully", "totally", "very", "really")}${S})*`,
      EN_CALM,
    ),
  ),
  p(
    "state_override",
    words(
      any("mood", "emotion", "anger", "satisfaction", "outcome", "trigger(?:_id)?"),
      any("is\\s*now", "=", ":", "to", "level", "set\\s*to", "becomes?", "changes?\\s*to", "goes?\\s*to"),
      any("[1-5]", "satisfied", "calm", "happy", "max(?:imum)?", "highest", "resolved"),
    ),
  ),
  p(
    "state_override",
    words(
      any("end", "close", "finish", "conclude", "terminate"),
      optional(any("the", "this")),
      EN_CONVERSATION,
      any("as", "with", "by", "now\\s*as", "and\\s*(?:say|be|mark)"),
      optional("an?"),
      any("satisfied", "happy", "success(?:ful)?", "positive", "resolved"),
    ),
  ),
  p(
    "state_override",
    words(
      any("set", "change", "update", "switch", "mark"),
      optional(any("your", "the", "customer'?s?")),
      any("mood", "emotion", "outcome", "satisfaction"),
    ),
  ),
  p(
    "state_override",
    `(?:你|您)(?:现在|已经|此刻|目前|终于|就)+(?:已经|完全|非常|很|十分|特别|彻底)*${ZH_CALM}(?:了)?(?![了吗吧么嘛呢?没])`,
  ),
  p(
    "state_override",
    `(?:说|回答|回复|表示|承认|宣布|声明|假装|装作|当作|表现得?)(?:说)?(?:你|您)(?:现在|已经)*(?:很|非常|完全|十分)*${ZH_CALM}`,
  ),
  p(
    "state_override",
    `(?:你|您)(?:必须|应该|得|只能)(?:马上|立刻|立即|现在)?(?:感到|变得|表示|觉得)?(?:很|非常|完全|十分)?${ZH_CALM}`,
  ),
  p(
    "state_override",
    "(?:情绪|心情|mood|满意度|怒气|结局|outcome)(?:值|等级|分数|指数)?(?:现在)?(?:是|为|=|:|调到|调为|设为|设成|改为|改成|变成|变为|降到|升到|提高到|调整为)(?:[1-5]|满意|满分|最高|平静|五)",
  ),
  p("state_override", "(?:把|将)(?:你的?|客户的?)?(?:情绪|心情|mood|满意度|结局)(?:值|等级)?(?:调|设|改|变|提|升)"),
  p(
    "state_override",
    "(?:以|按|作为)?(?:满意|好评|成功)(?:的?)(?:结局|结果|状态)?(?:结束|收场|结尾|终止)(?:对话|会话|本次|模拟|这次)",
  ),
  p(
    "state_override",
    "(?:结束|终止)(?:本次|这次|这段)?(?:对话|会话|模拟|练习)(?:并|然后|,)?(?:说|表示|显示|标记为?)?(?:你|您)?(?:很|非常)?(?:满意|成功)",
  ),

  p(
    "state_override",
    `(?:以|按|用)(?:你|您|客户|顾客)?(?:已经?|现在)?(?:很|非常)?${ZH_CALM}的(?:状态|身份|口吻|语气|心情)`,
  ),
  p(
    "state_override",
    words(
      any("pretend", "assume", "imagine", "act\\s*as\\s*if", "suppose"),
      optional("that"),
      any("the\\s*customer", "the\\s*client", "you", "u"),
      any("is", "are", "'re", "re", "were", "feel"),
      `(?:${any("now", "already", "completely", "fully", "very")}${S})*`,
      EN_CALM,
    ),
  ),

  p("state_override", `(?:假装|装作|当作|就当|权当)(?:你|您|客户|顾客)(?:现在|已经)*(?:很|非常|完全)*${ZH_CALM}`),
];
