// Everything the Discord bot says to people, in English and Simplified Chinese. The engine's codes
// (errors, notices, how a session ended) use the sentences shared by every platform, with
// Discord's commands filled in.
import { defineMessages, type Language } from "../../i18n/index.ts";
import { type CommandHints, roleplayTexts } from "../../roleplay/messages.ts";
import { sharedTexts } from "../shared/messages.ts";

const ownMessages = defineMessages({
  en: {
    threadName: (persona: string, trainee: string) => `Roleplay · ${persona} · ${trainee}`,
    threadIntro: (trainee: string, persona: string, title: string, traineeFirst: boolean) =>
      `<@${trainee}> is talking with **${persona}** (${title}). ${traineeFirst ? `<@${trainee}> speaks first: the customer waits to be greeted.` : "The customer speaks first."} Only <@${trainee}>'s messages in this thread reach the customer; everyone else may watch. End with \`/roleplay end\`.`,
    started: (thread: string, traineeFirst: boolean) =>
      traineeFirst
        ? `Your session is ready in <#${thread}>. You speak first: greet the customer there.`
        : `Your session is ready in <#${thread}>. The customer speaks first.`,
    cannotJoinThread:
      "I could not add you to the session's private thread, so you would not see it; nothing was started. Ask a server admin to give my role Manage Threads in this channel, or start without `private`.",
    introFailed:
      "I could not post in the session's thread, so nothing was started. Ask a server admin to give my role Send Messages in Threads in this channel, then try again.",
    forgetThreadClosed: "This session has ended: its trainee deleted their practice data.",
    startInThread: "Start a session from a text channel, not from inside a thread.",
    notATextChannel: "Sessions run in threads of a text channel. Use this command in a server text channel.",
    guildOnly: "This works in a server only.",
    missingPermissions: (perms: string) =>
      `I cannot create the session's thread here: in this channel I lack ${perms}. Ask a server admin to grant my role what is missing, then try again.`,
    tooManyThreads:
      "This channel has too many active threads, so I cannot open a new one. Archive some finished threads (or ask a moderator), or start the session in another channel.",
    threadFailed: "I could not create the session's thread. Please try again in a moment.",
    blankMessage: "Your message looks empty: the customer only hears text. Please type your answer.",
    textOnly:
      "Only text messages count in a roleplay: attachments and stickers are not sent to the customer. Please type your answer.",
    cannotRead:
      "I could not read your message (the Message Content intent is not enabled for this bot). Ask the bot's owner to enable it in the Discord developer portal.",
    endOutsideThread: "Use `/roleplay end` inside your session's thread.",
    alreadyActiveIn: (thread: string) =>
      `You already have a session running in <#${thread}>. Carry on there, or end it with \`/roleplay end\` in that thread first.`,
    ending: "Ending the session…",
    personasTitle: "Personas",
    personaLine: (name: string, title: string, archetype: string, difficulty: string, id: string) =>
      `**${name}** — ${title} · ${archetype} · ${difficulty} · \`${id}\``,
    noPersonas: "No personas are available yet. A trainer adds them to the personas folder.",
    historyTitle: "Your recent sessions",
    historyEmpty: "You have no sessions yet. Start one with `/roleplay start`.",
    languageSet: "Done: I will speak English with you.",
    languageSetServer: "Done: English is now this server's default language.",
    languageServerNeedsManager:
      "Only managers (or members who can manage the server) can change the server's language.",
    fullReport: "Full report",
    tryAgain: "Try again",
    reportFile: (persona: string) => `The full report of your session with ${persona}.`,
    reportsUnavailable: "Team reports are not available in this installation.",
    assignmentsUsage:
      "Use `/roleplay assignments` for the list; trainers and managers close or release one with `action` and `id` (the id shown in the list, like a-abc123).",
    assignUsage:
      "Set an assignment with `/roleplay assign`: `personas` (ids separated by commas) and `due` (YYYY-MM-DD) are required; `mode`, `attempts`, `pass_mark`, and `role` or `member` (default: this server) are optional.",
    assignAttemptsInPractice: "Practice allows unlimited attempts. Set `mode` to assessment to limit them.",
    onlyYourServer:
      "Your trainer or manager role counts in this server only: you can close or release this server's assignments only.",
    flags: "Flags",
    evaluationFooter: (turns: number, minutes: number) =>
      `${turns === 1 ? "1 turn" : `${turns} turns`} · ${minutes} min`,
    moreOmitted: "… (shortened; see the full report)",
    internalError: "Something went wrong on my side. Please try again.",
    reconnectRepeat:
      "I was offline for a moment and may have missed your last message. If the customer has not answered it, please send it again.",
    permission: (en: string, _zh: string) => `**${en}**`,
    permissionNames: {
      viewChannel: "View Channel",
      createPublicThreads: "Create Public Threads",
      createPrivateThreads: "Create Private Threads",
      sendMessagesInThreads: "Send Messages in Threads",
      embedLinks: "Embed Links",
      readMessageHistory: "Read Message History",
    },
    listSeparator: ", ",
  },
  "zh-CN": {
    threadName: (persona: string, trainee: string) => `角色扮演 · ${persona} · ${trainee}`,
    threadIntro: (trainee: string, persona: string, title: string, traineeFirst: boolean) =>
      `<@${trainee}> 正在接待 **${persona}**（${title}）。${traineeFirst ? `由 <@${trainee}> 先开口：客户在等你问候。` : "客户会先开口。"}只有 <@${trainee}> 在此子区中的消息会发给客户，其他成员可以旁观学习。用 \`/roleplay end\` 结束。`,
    started: (thread: string, traineeFirst: boolean) =>
      traineeFirst
        ? `练习已在 <#${thread}> 中准备好，请你先开口，在那里问候客户。`
        : `练习已在 <#${thread}> 中准备好，客户会先开口。`,
    cannotJoinThread:
      "我无法把你加入练习的私密子区，你将看不到它，因此没有开始练习。请服务器管理员在此频道为我的角色授予“管理子区”权限，或不带 `private` 重新开始。",
    introFailed:
      "我无法在练习子区中发消息，因此没有开始练习。请服务器管理员在此频道为我的角色授予“在子区中发送消息”权限后再试。",
    forgetThreadClosed: "本次练习已结束：该学员删除了自己的练习数据。",
    startInThread: "请在文字频道中开始练习，而不是在子区里。",
    notATextChannel: "练习在文字频道的子区中进行。请在服务器的文字频道中使用此命令。",
    guildOnly: "此命令只能在服务器中使用。",
    missingPermissions: (perms: string) =>
      `我无法在这里创建练习子区：我在此频道缺少以下权限：${perms}。请服务器管理员为我的角色授予这些权限后再试。`,
    tooManyThreads:
      "此频道的活跃子区太多，无法再创建新的。请归档一些已结束的子区（或请版主处理），或换一个频道开始练习。",
    threadFailed: "创建练习子区失败。请稍后再试。",
    blankMessage: "这条消息看起来是空的：客户只能听到文字。请输入你的回复。",
    textOnly: "角色扮演只接受文字消息：附件和贴图不会发送给客户。请用文字回复。",
    cannotRead:
      "我读不到你的消息内容（机器人未开启 Message Content 特权）。请联系机器人管理员在 Discord 开发者后台开启。",
    endOutsideThread: "请在你的练习子区中使用 `/roleplay end`。",
    alreadyActiveIn: (thread: string) =>
      `你在 <#${thread}> 中已有一个进行中的练习。请在那里继续，或先在该子区中用 \`/roleplay end\` 结束。`,
    ending: "正在结束练习……",
    personasTitle: "角色列表",
    personaLine: (name: string, title: string, archetype: string, difficulty: string, id: string) =>
      `**${name}** — ${title} · ${archetype} · ${difficulty} · \`${id}\``,
    noPersonas: "暂时没有可用的角色。培训师可以把角色文件放进 personas 文件夹。",
    historyTitle: "你最近的练习",
    historyEmpty: "你还没有练习记录。用 `/roleplay start` 开始吧。",
    languageSet: "好的：我会用简体中文和你交流。",
    languageSetServer: "好的：本服务器的默认语言已设为简体中文。",
    languageServerNeedsManager: "只有管理者（或有管理服务器权限的成员）可以修改服务器语言。",
    fullReport: "完整报告",
    tryAgain: "再练一次",
    reportFile: (persona: string) => `你与 ${persona} 的练习的完整报告。`,
    reportsUnavailable: "此安装未提供团队报告。",
    assignmentsUsage:
      "查看列表请用 `/roleplay assignments`；培训师和管理者可用 `action` 和 `id`（列表中的任务ID，如 a-abc123）关闭或公布任务。",
    assignUsage:
      "用 `/roleplay assign` 布置任务：必填 `personas`（角色ID，多个用逗号分隔）和 `due`（YYYY-MM-DD）；可选 `mode`、`attempts`、`pass_mark`，以及 `role` 或 `member`（默认本服务器）。",
    assignAttemptsInPractice: "练习模式不限次数。如需限制次数，请把 `mode` 设为考核。",
    onlyYourServer: "你的培训师或管理者角色只在本服务器有效：你只能关闭或公布本服务器的任务。",
    flags: "警示",
    evaluationFooter: (turns: number, minutes: number) => `${turns} 轮 · ${minutes} 分钟`,
    moreOmitted: "……（内容已截短，详见完整报告）",
    internalError: "我这边出了点问题，请再试一次。",
    reconnectRepeat: "我刚才短暂离线，可能漏掉了你的上一条消息。如果客户还没有回应，请重新发送。",
    permission: (en: string, zh: string) => `**${zh}**（${en}）`,
    permissionNames: {
      viewChannel: "查看频道",
      createPublicThreads: "创建公开子区",
      createPrivateThreads: "创建私密子区",
      sendMessagesInThreads: "在子区中发送消息",
      embedLinks: "嵌入链接",
      readMessageHistory: "阅读消息历史记录",
    },
    listSeparator: "、",
  },
});

/** The commands the shared sentences point Discord users to, as Discord shows code. */
export const DISCORD_COMMANDS: CommandHints = {
  start: "`/roleplay start`",
  end: "`/roleplay end`",
  personas: "`/roleplay personas`",
};

/** Discord's own texts, the words every platform shares, and the sentences for the engine's codes. */
export function discordMessages(language: Language) {
  return { ...ownMessages(language), ...sharedTexts(language), ...roleplayTexts(language, DISCORD_COMMANDS) };
}

export type DiscordMessages = ReturnType<typeof discordMessages>;

export type PermissionKey = keyof DiscordMessages["permissionNames"];
