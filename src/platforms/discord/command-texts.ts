// The names and descriptions of `/roleplay` and its options as Discord shows them: English by
// default, Simplified Chinese for Discord users whose language is Chinese. The English names are
// the ids handlers match on (Discord always reports the default names in interactions).
import { defineMessages } from "../../i18n/index.ts";

export const commandTexts = defineMessages({
  en: {
    roleplay: { name: "roleplay", description: "Practise a customer conversation with a simulated customer" },
    start: { name: "start", description: "Start a session in a new thread of this channel" },
    persona: { name: "persona", description: "The customer to talk with (leave empty for a random one)" },
    archetype: {
      name: "archetype",
      description: "For a random customer: the kind of customer (angry, confused, …)",
    },
    difficulty: { name: "difficulty", description: "For a random customer: how hard it is" },
    private: { name: "private", description: "A private thread: only you, trainers and managers see it" },
    end: { name: "end", description: "End your session in this thread and get the evaluation" },
    personas: { name: "personas", description: "List the customers you can practise with" },
    history: { name: "history", description: "Your recent sessions and scores" },
    language: { name: "language", description: "The language the bot speaks with you (or this server)" },
    languageOption: { name: "language", description: "Language" },
    scope: { name: "for", description: "Just for you (default) or the server's default (managers)" },
    scopeChoices: { me: "me", server: "server" },
    report: {
      name: "report",
      description: "Team summary of this server with the HTML report (managers and trainers)",
    },
    period: { name: "period", description: "7d, 30d, 90d or 2026-01-01..2026-01-31 (default 7d)" },
    forget: { name: "forget", description: "Delete all your practice sessions, transcripts and evaluations" },
    assignments: {
      name: "assignments",
      description: "What is assigned to you, with a button to start each customer (trainers: all, close, release)",
    },
    assignmentAction: {
      name: "action",
      description: "Trainers and managers: close an assignment or release its results",
    },
    assignmentActionChoices: { close: "close", release: "release results" },
    assignmentId: { name: "id", description: "The assignment's id, as the list shows it (like a-abc123)" },
    assign: {
      name: "assign",
      description: "Trainers and managers: set customers to practise for this server, a role or a member",
    },
    assignPersonas: {
      name: "personas",
      description: "Persona ids separated by commas, as /roleplay personas lists them",
    },
    assignDue: { name: "due", description: "Due day as YYYY-MM-DD (the team's time zone)" },
    assignMode: {
      name: "mode",
      description: "Practice (default, unlimited attempts) or assessment (counted, results held)",
    },
    assignModeChoices: { practice: "practice", assessment: "assessment" },
    assignAttempts: { name: "attempts", description: "Assessment only: attempts per customer, 1 to 100 (default 1)" },
    assignPassMark: { name: "pass_mark", description: "Score needed to pass, 0 to 100 (default: the rubric's)" },
    assignRole: { name: "role", description: "Only members with this role (default: the whole server)" },
    assignMember: { name: "member", description: "Only this member (default: the whole server)" },
  },
  "zh-CN": {
    roleplay: { name: "角色扮演", description: "与模拟客户练习服务对话" },
    start: { name: "开始", description: "在本频道的新子区中开始练习" },
    persona: { name: "角色", description: "要接待的客户（留空则随机）" },
    archetype: { name: "类型", description: "随机客户的类型（愤怒、困惑……）" },
    difficulty: { name: "难度", description: "随机客户的难度" },
    private: { name: "私密", description: "私密子区：只有你、培训师和管理者可见" },
    end: { name: "结束", description: "结束本子区中的练习并获取评估" },
    personas: { name: "角色列表", description: "列出可以练习的客户角色" },
    history: { name: "记录", description: "你最近的练习和得分" },
    language: { name: "语言", description: "机器人和你（或本服务器）使用的语言" },
    languageOption: { name: "语言", description: "语言" },
    scope: { name: "范围", description: "仅对你（默认）或整个服务器（管理者）" },
    scopeChoices: { me: "我", server: "服务器" },
    report: { name: "团队报告", description: "本服务器的团队练习汇总及 HTML 报告（主管和培训师）" },
    period: { name: "时间范围", description: "7d、30d、90d 或 2026-01-01..2026-01-31（默认 7d）" },
    forget: { name: "删除我的数据", description: "删除你的全部练习记录、对话内容和评估结果" },
    assignments: { name: "任务", description: "布置给你的练习任务，每个客户一个开始按钮（培训师：全部、关闭、公布）" },
    assignmentAction: { name: "操作", description: "培训师和管理者：关闭任务或公布其结果" },
    assignmentActionChoices: { close: "关闭", release: "公布结果" },
    assignmentId: { name: "任务id", description: "列表中显示的任务ID（如 a-abc123）" },
    assign: { name: "布置任务", description: "培训师和管理者：为本服务器、某个身份组或某位成员布置练习" },
    assignPersonas: { name: "角色id", description: "角色ID，多个用逗号分隔（见 /roleplay personas）" },
    assignDue: { name: "截止日", description: "截止日，格式 YYYY-MM-DD（按团队时区）" },
    assignMode: { name: "模式", description: "练习（默认，不限次数）或考核（计次，成绩待公布）" },
    assignModeChoices: { practice: "练习", assessment: "考核" },
    assignAttempts: { name: "次数", description: "仅考核：每位客户的尝试次数，1 到 100（默认 1）" },
    assignPassMark: { name: "及格线", description: "及格分数，0 到 100（默认按评分标准）" },
    assignRole: { name: "身份组", description: "只布置给有此身份组的成员（默认整个服务器）" },
    assignMember: { name: "成员", description: "只布置给这位成员（默认整个服务器）" },
  },
});

export type CommandTextKey = {
  [K in keyof ReturnType<typeof commandTexts>]: ReturnType<typeof commandTexts>[K] extends {
    name: string;
    description: string;
  }
    ? K
    : never;
}[keyof ReturnType<typeof commandTexts>];
