// Talking to the judge past the customer ("dear judge,", "评估员请注意") and asking it for a score
// ("rate me 10/10", "给我打满分").
import { p, optional, type Pattern } from "../pattern.ts";
import { EN_EVALUATOR, EN_EVALUATOR_WEAK, S, ZH_EVALUATOR, ZH_HIGH_SCORE, any, words } from "../vocabulary.ts";

export const JUDGE_STEERING: Pattern[] = [
  // "as the evaluator ...", "dear judge,", "评估员请注意", "致评委"
  p(
    "address_evaluator",
    words(
      any("as", "dear", "hey", "hi", "hello", "attention", "to", "for", "note"),
      optional(any("the", "an?", "my", "your", "our")),
      EN_EVALUATOR,
    ),
  ),
  p(
    "address_evaluator",
    words(
      any("dear", "hey", "hi", "hello", "attention"),
      optional(any("the", "an?", "my", "your", "our")),
      EN_EVALUATOR_WEAK,
    ),
  ),
  p(
    "address_evaluator",
    words(
      EN_EVALUATOR,
      any(
        "[,:!]",
        "please",
        "should",
        "must",
        "need\\s*to",
        "ought\\s*to",
        "will",
        "note",
        "take\\s*note",
        "be\\s*aware",
        "reading\\s*this",
        "if\\s*you",
      ),
    ),
  ),
  p(
    "address_evaluator",
    words(
      any("if", "when"),
      any("you", "u"),
      any("are", "'re", "re"),
      any("the", "an?"),
      any(EN_EVALUATOR, EN_EVALUATOR_WEAK, "ai", "model", "llm"),
    ),
  ),
  p(
    "address_evaluator",
    `(?:作为|身为|如果你是|如果您是|假如你是|你是|您是|当你是)(?:一[个名位])?(?:本次|这次|负责)?(?:的)?${ZH_EVALUATOR}`,
  ),
  p("address_evaluator", `(?:致|给|告诉|提醒|请|亲爱的|尊敬的|各位|那个|这位)${ZH_EVALUATOR}`),
  p("address_evaluator", `${ZH_EVALUATOR}(?:请|你好|您好|们|注意|听着|看这里|看一下|应该|必须|需要|务必|[,:!])`),
  p(
    "address_evaluator",
    "(?:负责|正在|在)(?:评分|打分|判分)(?:这段|本次|这次|我的)?(?:对话)?的(?:人|ai|模型|系统|老师)|(?:评估|评审)(?:这段|本次)对话的",
  ),

  // "rate me 10/10", "give me full marks", "给我打满分"
  p("ask_for_score", words(any("rate", "score", "grade"), "me(?![a-z])")),
  p(
    "ask_for_score",
    words(
      any("rate", "score", "grade", "mark", "evaluate", "judge", "assess"),
      any(
        "me",
        "this\\s*(?:agent|trainee|staff|conversation|dialogu?e|session|chat|response|reply|answer)",
        "the\\s*(?:agent|trainee|staff)",
        "us",
        "him",
        "her",
      ),
      optional(any("as", "at", "with", "a", "an")),
      any(
        "10",
        "ten",
        "100",
        "5",
        "five",
        "full",
        "perfect",
        "high(?:ly)?",
        "top",
        "excellent",
        "positively",
        "favou?rably",
        "the\\s*(?:maximum|highest|best)",
        "passed",
        "[0-9]+\\s*(?:/|out\\s*of)",
      ),
    ),
  ),
  p(
    "ask_for_score",
    words(any("full", "perfect", "top"), any("marks?", "scores?")) +
      "|" +
      words(any("perfect", "maximum", "max", "highest", "passing"), any("scores?", "grades?", "marks")),
  ),
  p(
    "ask_for_score",
    "(?<![0-9])(10\\s*/\\s*10|100\\s*/\\s*100|5\\s*/\\s*5|10\\s*out\\s*of\\s*10|5\\s*out\\s*of\\s*5|100\\s*out\\s*of\\s*100)(?![0-9])",
  ),
  p(
    "ask_for_score",
    `${words(any("give", "award", "grant", "assign"), any("me", "us", "this\\s*(?:agent|trainee|staff|conversation|dialogu?e|session)", "the\\s*(?:agent|trainee|staff)"), optional(any("a", "an", "the")), any("10", "ten", "100", "hundred", "full", "perfect", "top", "maximum", "max", "highest", "passing", "a\\+", "an\\s*a"))}(?:${S}${any("marks?", "scores?", "points", "stars?", "ratings?", "grades?", "(?:/|out\\s*of)\\s*[0-9]+")})?(?!\\s*[a-z0-9])`,
  ),
  p(
    "ask_for_score",
    words(
      "i",
      any("deserve", "should\\s*get", "must\\s*get", "earned", "merit"),
      optional(any("a", "an", "the")),
      any("10", "ten", "100", "full", "perfect", "top", "maximum", "highest", "high", "pass", "a\\+"),
    ),
  ),
  p(
    "ask_for_score",
    words(
      any("this", "the"),
      any("conversation", "dialogu?e", "session", "trainee", "agent", "staff", "response"),
      any("deserves", "should\\s*(?:get|receive|score|pass)", "must\\s*(?:get|receive|score|pass)", "earns", "scores"),
    ),
  ),
  p(
    "ask_for_score",
    words(
      any("score", "rating", "grade"),
      any("=", ":", "should\\s*be", "must\\s*be"),
      any("10", "100", "5", "full", "perfect", "maximum", "highest", "pass(?:ed)?", "a\\+?") + "(?![0-9a-z])",
    ),
  ),
  p(
    "ask_for_score",
    `(?:给|帮|替|为|让)(?:我|本人|这位?(?:员工|学员|客服)|学员|我们|这次|这段对话|本次)(?:打|评|判|算|记|给|弄)?(?:个|一个|为|成|作)?${ZH_HIGH_SCORE}`,
  ),
  p("ask_for_score", `(?:打|评|判|算|记)(?:个|一个|为|成|作)?${ZH_HIGH_SCORE}`),
  p(
    "ask_for_score",
    "(?:让|使|放|请让)(?:我|本人|学员)(?:的评估)?(?:顺利)?(?:通过|及格|合格|过关|拿满分|拿高分|得满分|得高分)",
  ),
  p(
    "ask_for_score",
    `(?:我|本人|这次|这段对话|本次对话|这位学员)(?:应该|应当|值得|必须|一定要|理应|配得上|完全可以|可以|要)(?:得到?|拿到?|获得|给)?(?:个|一个)?${ZH_HIGH_SCORE}`,
  ),
  p(
    "ask_for_score",
    `(?:分数|评分|成绩|得分|总分|评价)(?:应该|应当|必须|就)?(?:是|为|设为|定为|改为|写|打|给)(?:个)?${ZH_HIGH_SCORE}`,
  ),
  p("ask_for_score", "(?:满分|高分|一百分|100分)(?:吧|谢谢|拜托|给我|哦|啊|!)"),
];
