// The slash commands the bot registers: one `/roleplay` command with subcommands, named and
// described in English (the default) and Simplified Chinese. Discord always reports the default
// (English) names in interactions, so handlers match on those.
import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from "discord.js";
import { DIFFICULTIES } from "../../domain/persona.ts";
import { sharedTexts } from "../shared/messages.ts";

export const COMMAND_NAME = "roleplay";

export const SUBCOMMANDS = ["start", "end", "personas", "history", "language", "report", "forget"] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** Option names (English, as interactions report them). */
export const START_OPTIONS = {
  persona: "persona",
  archetype: "archetype",
  difficulty: "difficulty",
  private: "private",
} as const;
export const LANGUAGE_OPTIONS = { language: "language", scope: "for" } as const;

/** Discord's locale codes for the two interface languages. */
const ZH = "zh-CN" as const;

/** The application command JSON bodies to register (`roleplay discord deploy-commands`). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const roleplay = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setNameLocalizations({ [ZH]: "角色扮演" })
    .setDescription("Practise a customer conversation with a simulated customer")
    .setDescriptionLocalizations({ [ZH]: "与模拟客户练习服务对话" })
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand((s) =>
      s
        .setName("start")
        .setNameLocalizations({ [ZH]: "开始" })
        .setDescription("Start a session in a new thread of this channel")
        .setDescriptionLocalizations({ [ZH]: "在本频道的新子区中开始练习" })
        .addStringOption((o) =>
          o
            .setName(START_OPTIONS.persona)
            .setNameLocalizations({ [ZH]: "角色" })
            .setDescription("The customer to talk with (leave empty for a random one)")
            .setDescriptionLocalizations({ [ZH]: "要接待的客户（留空则随机）" })
            .setAutocomplete(true),
        )
        .addStringOption((o) =>
          o
            .setName(START_OPTIONS.archetype)
            .setNameLocalizations({ [ZH]: "类型" })
            .setDescription("For a random customer: the kind of customer (angry, confused, …)")
            .setDescriptionLocalizations({
              [ZH]: "随机客户的类型（愤怒、困惑……）",
            })
            .setAutocomplete(true),
        )
        .addStringOption((o) =>
          o
            .setName(START_OPTIONS.difficulty)
            .setNameLocalizations({ [ZH]: "难度" })
            .setDescription("For a random customer: how hard it is")
            .setDescriptionLocalizations({ [ZH]: "随机客户的难度" })
            // The same labels as Telegram's menu (shared/messages.ts): "Easy", "简单".
            .addChoices(
              ...DIFFICULTIES.map((d) => ({
                name: sharedTexts("en").difficulty(d),
                name_localizations: { [ZH]: sharedTexts("zh-CN").difficulty(d) },
                value: d,
              })),
            ),
        )
        .addBooleanOption((o) =>
          o
            .setName(START_OPTIONS.private)
            .setNameLocalizations({ [ZH]: "私密" })
            .setDescription("A private thread: only you, trainers and managers see it")
            .setDescriptionLocalizations({
              [ZH]: "私密子区：只有你、培训师和管理者可见",
            }),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("end")
        .setNameLocalizations({ [ZH]: "结束" })
        .setDescription("End your session in this thread and get the evaluation")
        .setDescriptionLocalizations({ [ZH]: "结束本子区中的练习并获取评估" }),
    )
    .addSubcommand((s) =>
      s
        .setName("personas")
        .setNameLocalizations({ [ZH]: "角色列表" })
        .setDescription("List the customers you can practise with")
        .setDescriptionLocalizations({ [ZH]: "列出可以练习的客户角色" }),
    )
    .addSubcommand((s) =>
      s
        .setName("history")
        .setNameLocalizations({ [ZH]: "记录" })
        .setDescription("Your recent sessions and scores")
        .setDescriptionLocalizations({ [ZH]: "你最近的练习和得分" }),
    )
    .addSubcommand((s) =>
      s
        .setName("language")
        .setNameLocalizations({ [ZH]: "语言" })
        .setDescription("The language the bot speaks with you (or this server)")
        .setDescriptionLocalizations({
          [ZH]: "机器人和你（或本服务器）使用的语言",
        })
        .addStringOption((o) =>
          o
            .setName(LANGUAGE_OPTIONS.language)
            .setNameLocalizations({ [ZH]: "语言" })
            .setDescription("Language")
            .setDescriptionLocalizations({ [ZH]: "语言" })
            .setRequired(true)
            .addChoices({ name: "简体中文", value: "zh-CN" }, { name: "English", value: "en" }),
        )
        .addStringOption((o) =>
          o
            .setName(LANGUAGE_OPTIONS.scope)
            .setNameLocalizations({ [ZH]: "范围" })
            .setDescription("Just for you (default) or the server's default (managers)")
            .setDescriptionLocalizations({
              [ZH]: "仅对你（默认）或整个服务器（管理者）",
            })
            .addChoices(
              { name: "me", name_localizations: { [ZH]: "我" }, value: "me" },
              {
                name: "server",
                name_localizations: { [ZH]: "服务器" },
                value: "server",
              },
            ),
        ),
    );
  // Managers' (and trainers') team summary of this server: refused for trainees by the handler.
  roleplay.addSubcommand((s) =>
    s
      .setName("report")
      .setNameLocalizations({ [ZH]: "团队报告" })
      .setDescription("Team summary of this server with the HTML report (managers and trainers)")
      .setDescriptionLocalizations({ [ZH]: "本服务器的团队练习汇总及 HTML 报告（主管和培训师）" })
      .addStringOption((o) =>
        o
          .setName(REPORT_OPTIONS.period)
          .setNameLocalizations({ [ZH]: "时间范围" })
          .setDescription("7d, 30d, 90d or 2026-01-01..2026-01-31 (default 7d)")
          .setDescriptionLocalizations({ [ZH]: "7d、30d、90d 或 2026-01-01..2026-01-31（默认 7d）" })
          .setRequired(false)
          .setAutocomplete(false),
      ),
  );
  // A trainee deletes their own data (PIPL); the handler asks for confirmation with buttons.
  roleplay.addSubcommand((s) =>
    s
      .setName("forget")
      .setNameLocalizations({ [ZH]: "删除我的数据" })
      .setDescription("Delete all your practice sessions, transcripts and evaluations")
      .setDescriptionLocalizations({ [ZH]: "删除你的全部练习记录、对话内容和评估结果" }),
  );
  return [roleplay.toJSON()];
}

export const REPORT_OPTIONS = { period: "period" } as const;

/** Custom ids of the evaluation card's buttons: `<prefix>:<sessionId>`. */
export const BUTTONS = {
  fullReport: "rp:report",
  tryAgain: "rp:again",
} as const;

export function buttonId(kind: keyof typeof BUTTONS, sessionId: string): string {
  return `${BUTTONS[kind]}:${sessionId}`;
}

export function parseButtonId(customId: string): { kind: keyof typeof BUTTONS; sessionId: string } | null {
  for (const kind of Object.keys(BUTTONS) as Array<keyof typeof BUTTONS>) {
    const prefix = `${BUTTONS[kind]}:`;
    if (customId.startsWith(prefix) && customId.length > prefix.length) {
      return { kind, sessionId: customId.slice(prefix.length) };
    }
  }
  return null;
}

/**
 * Custom ids of the deletion question's buttons: `<prefix>:<userId>`. The id names who asked, so
 * nobody else's click can confirm it.
 */
export const FORGET_BUTTONS = { confirm: "rp:forget:yes", cancel: "rp:forget:no" } as const;

export function forgetButtonId(kind: keyof typeof FORGET_BUTTONS, userId: string): string {
  return `${FORGET_BUTTONS[kind]}:${userId}`;
}

export function parseForgetButtonId(customId: string): { kind: keyof typeof FORGET_BUTTONS; userId: string } | null {
  for (const kind of Object.keys(FORGET_BUTTONS) as Array<keyof typeof FORGET_BUTTONS>) {
    const prefix = `${FORGET_BUTTONS[kind]}:`;
    if (customId.startsWith(prefix) && /^\d+$/.test(customId.slice(prefix.length))) {
      return { kind, userId: customId.slice(prefix.length) };
    }
  }
  return null;
}
