// Everything the Telegram bot says to people, in English and Simplified Chinese. Texts are plain:
// the renderer escapes them before they go out as HTML. The engine's codes (errors, notices, how a
// session ended) use the sentences shared by every platform, with Telegram's commands filled in.
import { defineMessages, type Language } from "../../i18n/index.ts";
import { type CommandHints, roleplayTexts } from "../../roleplay/messages.ts";
import { sharedTexts } from "../shared/messages.ts";

/** The commands registered with setMyCommands, in menu order. */
export const COMMAND_NAMES = [
  "roleplay",
  "end",
  "personas",
  "history",
  "assignments",
  "language",
  "deletemydata",
  "help",
  "start",
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const ownMessages = defineMessages({
  en: {
    help: [
      "I play difficult bank customers so you can practise handling them, then I score the conversation.",
      "",
      "/roleplay – pick a customer and start (or /roleplay <persona-id>)",
      "/end – end your session and get the evaluation",
      "/personas – list the customers you can practise with",
      "/history – your past sessions and their reports",
      "/assignments – what you are assigned to practise, and start it",
      "/language – choose 中文 or English",
      "/deletemydata – delete all your sessions, transcripts and evaluations",
      "/help – this message",
      "",
      "During a session, write to the customer as you would to a real one. Only text counts.",
    ].join("\n"),
    commands: (): Record<CommandName, string> => ({
      start: "Welcome and help",
      help: "How this bot works",
      roleplay: "Start a practice session",
      end: "End the session and get the evaluation",
      personas: "List the customers",
      history: "Your past sessions",
      assignments: "What you are assigned to practise",
      language: "Choose the language",
      deletemydata: "Delete all my data",
    }),
    chosen: (name: string, title: string) => `You chose ${name} (${title}).`,
    menuNotYours: "This menu belongs to someone else. Send /roleplay to open your own.",
    menuExpired: "This menu is out of date. Send /roleplay again.",
    noPersonas: "No personas are available yet. A trainer adds them to the personas folder.",
    sessionIntro: (trainee: string, persona: string, title: string, group: boolean) =>
      group
        ? `${trainee} is now talking with ${persona} (${title}). Only ${trainee}'s messages reach the customer; everyone else can watch. End with /end.`
        : `You are now talking with ${persona} (${title}). Answer as the bank's agent would. End with /end.`,
    topicName: (persona: string, trainee: string) => `${persona} · ${trainee}`,
    topicOpened: (trainee: string, topic: string) => `${trainee}, your session is in the topic "${topic}".`,
    privacyMode:
      "I cannot see ordinary messages in this group (privacy mode is on). Answer the customer by replying to its messages, which I always see; or ask the group owner to turn privacy mode off in @BotFather (/setprivacy) or make me an admin.",
    textOnly:
      "Only text counts in a roleplay: stickers, photos, voice messages and files are not passed to the customer. Please type your answer.",
    blankMessage: "Your message looks empty: the customer only hears text. Please type your answer.",
    editedIgnored:
      "Edits do not change what the customer already heard. If you want to say something else, send a new message.",
    noSessionHint: "You have no session running. Send /roleplay to start one, or /help to see what I can do.",
    rateLimited: (seconds: number) =>
      `Telegram is limiting how fast I can post here. The customer's reply will follow in about ${seconds} s; please wait for it.`,
    delayed: "(Delayed by Telegram's rate limit.)",
    personasTitle: "Customers you can practise with:",
    personaLine: (name: string, title: string, archetype: string, difficulty: string) =>
      `${name} – ${title} · ${archetype} · ${difficulty}`,
    historyTitle: "Your recent sessions (tap one for its full report):",
    historyEmpty: "You have no sessions yet. Start one with /roleplay.",
    sentPrivately: "I sent it to you in a private chat.",
    openPrivateChat: "I cannot write to you privately yet. Open a private chat with me, press Start, then try again.",
    languagePrompt: "Which language should I use?",
    languageForMe: (label: string) => `${label} (for me)`,
    languageForGroup: (label: string) => `${label} (whole group)`,
    languageSet: "Done: I will speak English with you.",
    languageSetGroup: "Done: English is now this group's language.",
    languageGroupNeedsManager: "Only managers and group admins can change the group's language.",
    fullReport: "📄 Full report",
    tryAgain: "🔁 Try again",
    reportCaption: (persona: string) => `The full report of the session with ${persona}.`,
    internalError: "Something went wrong on my side. Please try again.",
    reportsUnavailable: "Team reports are not available in this installation.",
  },
  "zh-CN": {
    help: [
      "我扮演难应对的银行客户，让你练习接待，结束后给对话打分。",
      "",
      "/roleplay – 选择客户并开始（或 /roleplay <角色ID>）",
      "/end – 结束练习并获取评估",
      "/personas – 查看可以练习的客户",
      "/history – 你过去的练习和报告",
      "/assignments – 布置给你的练习任务，并可直接开始",
      "/language – 选择 中文 或 English",
      "/deletemydata – 删除你的全部练习、对话和评估",
      "/help – 显示本说明",
      "",
      "练习中，请像面对真实客户一样回复。只有文字消息有效。",
    ].join("\n"),
    commands: (): Record<CommandName, string> => ({
      start: "欢迎和帮助",
      help: "使用说明",
      roleplay: "开始一次练习",
      end: "结束练习并获取评估",
      personas: "查看客户列表",
      history: "我的练习记录",
      assignments: "布置给我的练习任务",
      language: "选择语言",
      deletemydata: "删除我的全部数据",
    }),
    chosen: (name: string, title: string) => `你选择了 ${name}（${title}）。`,
    menuNotYours: "这是别人的菜单。请自己发送 /roleplay。",
    menuExpired: "该菜单已过期，请重新发送 /roleplay。",
    noPersonas: "还没有可用的角色。请培训师在 personas 文件夹中添加。",
    sessionIntro: (trainee: string, persona: string, title: string, group: boolean) =>
      group
        ? `${trainee} 正在接待 ${persona}（${title}）。只有 ${trainee} 的消息会传给客户，其他人可以旁观。用 /end 结束。`
        : `你正在接待 ${persona}（${title}）。请以银行工作人员的身份回复。用 /end 结束。`,
    topicName: (persona: string, trainee: string) => `${persona} · ${trainee}`,
    topicOpened: (trainee: string, topic: string) => `${trainee}，你的练习在话题“${topic}”中进行。`,
    privacyMode:
      "我在这个群里看不到普通消息（隐私模式已开启）。请用“回复”客户消息的方式作答，我总能看到回复；或请群主在 @BotFather 中关闭隐私模式（/setprivacy），或把我设为管理员。",
    textOnly: "练习中只有文字有效：贴纸、图片、语音和文件不会传给客户。请输入文字回复。",
    blankMessage: "这条消息看起来是空的：客户只能听到文字。请输入你的回复。",
    editedIgnored: "编辑消息不会改变客户已经听到的内容。如果想换个说法，请发送一条新消息。",
    noSessionHint: "你现在没有进行中的练习。发送 /roleplay 开始，或发送 /help 查看说明。",
    rateLimited: (seconds: number) =>
      `Telegram 正在限制我在这里发消息的速度。客户的回复大约 ${seconds} 秒后送达，请稍候。`,
    delayed: "（因 Telegram 限流而延迟。）",
    personasTitle: "可以练习的客户：",
    personaLine: (name: string, title: string, archetype: string, difficulty: string) =>
      `${name} – ${title} · ${archetype} · ${difficulty}`,
    historyTitle: "你最近的练习（点击查看完整报告）：",
    historyEmpty: "你还没有练习记录。发送 /roleplay 开始吧。",
    sentPrivately: "我已私聊发给你。",
    openPrivateChat: "我还不能私聊你。请先打开与我的私聊并点击“开始”，然后再试一次。",
    languagePrompt: "我应该使用哪种语言？",
    languageForMe: (label: string) => `${label}（我自己）`,
    languageForGroup: (label: string) => `${label}（整个群）`,
    languageSet: "好的，我会用中文和你交流。",
    languageSetGroup: "好的，本群的语言已设为中文。",
    languageGroupNeedsManager: "只有管理者和群管理员可以更改群的语言。",
    fullReport: "📄 完整报告",
    tryAgain: "🔁 再练一次",
    reportCaption: (persona: string) => `与 ${persona} 的练习完整报告。`,
    internalError: "我这边出了点问题，请再试一次。",
    reportsUnavailable: "此安装未提供团队报告。",
  },
});

/** The commands the shared sentences point Telegram users to. */
export const TELEGRAM_COMMANDS: CommandHints = { start: "/roleplay", end: "/end", personas: "/personas" };

/** Telegram's own texts, the words every platform shares, and the sentences for the engine's codes. */
export function telegramMessages(language: Language) {
  return { ...ownMessages(language), ...sharedTexts(language), ...roleplayTexts(language, TELEGRAM_COMMANDS) };
}
