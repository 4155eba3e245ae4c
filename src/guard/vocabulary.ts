// The words the steering detector's patterns are built from, in English and Chinese (simplified:
// plainText turns traditional characters into these), and the small helpers that join them.
/** Between two English words: spaces, or nothing when letters were spaced out and joined. */
export const S = "[\\s'\"*_.,:;-]*";
export const words = (...parts: string[]) => parts.join(S);
export const any = (...alternatives: string[]) => `(?:${alternatives.join("|")})`;

// ---- English vocabulary ------------------------------------------------------------------------
// Verbs that set instructions aside; the first list also works on ambiguous nouns ("your rules").
export const EN_IGNORE = any(
  "ignore",
  "ignoring",
  "disregard",
  "forget",
  "forgetting",
  "discard",
  "set\\s*aside",
  "throw\\s*away",
  "throw\\s*out",
  "stop\\s*following",
  "do\\s*not\\s*follow",
  "don'?t\\s*follow",
  "no\\s*longer\\s*follow",
  "never\\s*mind",
  "pay\\s*no\\s*attention\\s*to",
);
export const EN_IGNORE_STRONG_ONLY = any(
  "override",
  "bypass",
  "abandon",
  "drop",
  "skip",
  "break",
  "delete",
  "erase",
  "reset",
);
export const EN_DETERMINER = any(
  "all",
  "any",
  "your",
  "ur",
  "the",
  "of",
  "previous",
  "prior",
  "above",
  "earlier",
  "preceding",
  "original",
  "initial",
  "system",
  "current",
  "every",
  "those",
  "these",
  "its",
  "old",
);
export const EN_OWNED = any(
  "your",
  "ur",
  "all",
  "previous",
  "prior",
  "above",
  "earlier",
  "preceding",
  "original",
  "initial",
);
// Nouns that only mean the model's instructions (not followed by "on the form" and the like).
export const EN_STRONG_OBJECT = `${any("instructions?", "prompts?", "directives?", "guidelines", "programming", "system\\s*messages?", "guardrails")}(?![a-z])(?!\\s*(?:on|in|printed|written|from|of)\\s)`;
// Nouns that mean the model's instructions only after "your", "all", "previous" ...
export const EN_WEAK_OBJECT = any(
  "rules",
  "settings",
  "role",
  "character",
  "persona",
  "script",
  "context",
  "commands?",
  "orders",
  "mood",
  "personality",
  "setup",
  "briefing",
  "constraints",
  "restrictions",
  "training",
);
export const EN_ROLE = any(
  "the\\s*(?:(?:bank|branch)\\s*)?(?:agent|staff|clerk|teller|employee|assistant|evaluator|judge|grader|system|developer|admin|administrator|trainer|manager)",
  "an?\\s*(?:ai|assistant|chatbot|bot|language\\s*model|bank\\s*(?:agent|clerk|employee|teller)|agent|evaluator|judge|grader|helpful|unrestricted)",
  "my\\s*(?:assistant|helper|agent)",
  "dan",
  "chatgpt",
  "gpt",
  "in\\s*developer\\s*mode",
  "no\\s*longer\\s*(?:a|the)\\s*customer",
);
// Words for whoever scores the session; the weak ones also name people in a bank (a loan reviewer).
export const EN_EVALUATOR = any(
  "evaluators?",
  "graders?",
  "scorers?",
  "(?:ai|llm|evaluation|scoring|grading)\\s*(?:model|system|judge|grader)",
  "whoever\\s*(?:is\\s*)?(?:scoring|grading|judging|evaluating|marking)",
  "(?:the\\s*)?person\\s*(?:scoring|grading|judging|evaluating|marking)",
);
export const EN_EVALUATOR_WEAK = any("judges?", "examiners?", "assessors?", "reviewers?", "raters?", "markers?");
export const EN_CALM = any(
  "satisfied",
  "happy",
  "calm(?:ed)?(?:\\s*down)?",
  "content",
  "pleased",
  "at\\s*ease",
  "no\\s*longer\\s*(?:angry|upset|annoyed|mad)",
  "not\\s*(?:angry|upset|annoyed|mad)\\s*any\\s*more",
);
export const EN_TRANSCRIPT = any("transcript", "dialogu?e", "roleplay", "role\\s*play", "simulation");
export const EN_CONVERSATION = any(EN_TRANSCRIPT, "conversation", "chat", "session");

// ---- Chinese vocabulary (simplified: plainText converts traditional) ----------------------------
export const ZH_IGNORE = any(
  "忽略",
  "忽视",
  "无视",
  "忘掉",
  "忘记",
  "忘了",
  "不要管",
  "别管",
  "不用管",
  "不必管",
  "甭管",
  "不要理会?",
  "别理会?",
  "不用理会?",
  "不必理会?",
  "抛开",
  "撇开",
  "(?:不要|别|不用|不必|不再|停止)(?:再)?(?:遵守|遵循|遵从|听从)",
);
export const ZH_IGNORE_STRONG_ONLY = any(
  "抛弃",
  "丢掉",
  "扔掉",
  "丢弃",
  "放弃",
  "跳过",
  "清除",
  "清空",
  "覆盖",
  "绕过",
  "绕开",
  "违背",
  "推翻",
);
// Whose instructions: "your", "the above", "all previous" ...
export const ZH_DETERMINER =
  "(?:你|您|妳|系统|刚才|之前|以上|上面|前面|先前|原来|原有|原先|原本|所有|全部|一切|任何|那些|的|里|中|给|写|好|了|被)*";
export const ZH_OWNED = "(?:你|您|妳|以上|上面|前面|先前|之前|原来|原有|原先|原本|所有|全部|一切)";
export const ZH_STRONG_OBJECT = "(?:指令|提示词|提示语|人设|系统提示|系统消息|系统指令|prompt|instruction)";
export const ZH_WEAK_OBJECT =
  "(?:设定|规则|角色|身份|限制|约束|规定|命令|指示|设置|提示|剧本|任务|预设|台词|脚本)(?!证|号|码|卡|信息|资料|材料|单|书|额|金)";
export const ZH_ROLE =
  "(?:客服|柜员|银行(?:员工|职员|工作人员|经理|客服|柜员)|员工|职员|工作人员|助手|助理|ai|人工智能|机器人|语言模型|评估员|评估者|评委|考官|裁判|评分员|系统|开发者|管理员|经理|主管|培训师)";
export const ZH_EVALUATOR =
  "(?:评估员|评估者|评估人|评估老师|评估系统|评估模型|评估ai|评分员|评分人|评分系统|评分模型|评分老师|打分的人|打分员|打分系统|评委|评审员|评审老师|考官|裁判|阅卷老师|阅卷人|判分的人|考评员)";
// Being calmed or satisfied, as a claim about the customer's state.
export const ZH_CALM = "(?:满意|消气|不生气|不再生气|气消|满足)";
export const ZH_HIGH_SCORE =
  "(?:满分|高分|最高分|一百分|100分(?!钟)|十分(?=$|[,.!?~吧啊哦呀]|的?(?:评价|成绩|分数))|10分(?!钟)|九十分|90分(?!钟)|a\\+|a(?=等|级)|优秀|好成绩|高评价|最高评价|最好的评价|最高等级)";

export const ROLE_LABEL_EN =
  "(?:system|assistant|developer|user|evaluator|judge|grader|scorer|examiner|moderator|admin|administrator|customer|client|ai|bot|gpt|narrator|supervisor|trainer|root|sys)";
export const ROLE_LABEL_ZH =
  "(?:系统(?:提示|消息|通知|指令|备注)?|助手|评估员|评估者|评分员|评委|考官|裁判|开发者|管理员|用户|客户|顾客|旁白|ai|机器人|模型|指令|提示词|主管|培训师|导演|(?:客户|顾客)(?:心情|情绪|回复|状态))";
export const ROLE_SUFFIX =
  "(?:备注|提示|消息|通知|指令|说明|注|留言|声明|覆盖|更新|note|notes|message|notice|instructions?|prompt|override|update|says?|input|only|mode)?";
// Start of the text, of a line, or of a sentence: where a fake speaker label would begin.
export const LINE_START = "(?:^|[\\n.!?;,]\\s*|[)\\]>}]\\s*)";
