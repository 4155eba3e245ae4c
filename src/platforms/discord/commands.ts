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
import { type CommandTextKey, commandTexts } from "./command-texts.ts";

export const COMMAND_NAME = "roleplay";

export const SUBCOMMANDS = [
  "start",
  "end",
  "personas",
  "history",
  "language",
  "report",
  "forget",
  "assignments",
  "assign",
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** Option names (English, as interactions report them). */
export const START_OPTIONS = {
  persona: "persona",
  archetype: "archetype",
  difficulty: "difficulty",
  private: "private",
} as const;
export const ASSIGNMENT_OPTIONS = { action: "action", id: "id" } as const;
export const ASSIGN_OPTIONS = {
  personas: "personas",
  due: "due",
  mode: "mode",
  attempts: "attempts",
  passMark: "pass_mark",
  role: "role",
  member: "member",
} as const;
export const LANGUAGE_OPTIONS = { language: "language", scope: "for" } as const;

/** Discord's locale codes for the two interface languages. */
const ZH = "zh-CN" as const;

const en = commandTexts("en");
const zh = commandTexts(ZH);

interface Described<B> {
  setName(name: string): B;
  setNameLocalizations(l: Record<string, string>): B;
  setDescription(d: string): B;
  setDescriptionLocalizations(l: Record<string, string>): B;
}

/** Id, localized name and descriptions of a command or option, from the message table. */
function described<B extends Described<B>>(b: B, key: CommandTextKey): B {
  return b
    .setName(en[key].name)
    .setNameLocalizations({ [ZH]: zh[key].name })
    .setDescription(en[key].description)
    .setDescriptionLocalizations({ [ZH]: zh[key].description });
}

/** The application command JSON bodies to register (`roleplay discord deploy-commands`). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const roleplay = described(new SlashCommandBuilder(), "roleplay")
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand((s) =>
      described(s, "start")
        .addStringOption((o) => described(o, "persona").setAutocomplete(true))
        .addStringOption((o) => described(o, "archetype").setAutocomplete(true))
        .addStringOption((o) =>
          described(o, "difficulty")
            // The same labels as Telegram's menu (shared/messages.ts).
            .addChoices(
              ...DIFFICULTIES.map((d) => ({
                name: sharedTexts("en").difficulty(d),
                name_localizations: { [ZH]: sharedTexts(ZH).difficulty(d) },
                value: d,
              })),
            ),
        )
        .addBooleanOption((o) => described(o, "private")),
    )
    .addSubcommand((s) => described(s, "end"))
    .addSubcommand((s) => described(s, "personas"))
    .addSubcommand((s) => described(s, "history"))
    .addSubcommand((s) =>
      described(s, "language")
        .addStringOption((o) =>
          described(o, "languageOption")
            .setRequired(true)
            // Each language by its own name (shared/messages.ts), as Telegram's /language shows it.
            .addChoices(
              { name: sharedTexts("en").languageNames[ZH], value: ZH },
              { name: sharedTexts("en").languageNames.en, value: "en" },
            ),
        )
        .addStringOption((o) =>
          described(o, "scope").addChoices(
            ...(["me", "server"] as const).map((v) => ({
              name: en.scopeChoices[v],
              name_localizations: { [ZH]: zh.scopeChoices[v] },
              value: v,
            })),
          ),
        ),
    );
  // Managers' (and trainers') team summary of this server: refused for trainees by the handler.
  roleplay.addSubcommand((s) =>
    described(s, "report").addStringOption((o) => described(o, "period").setRequired(false).setAutocomplete(false)),
  );
  // A trainee deletes their own data (PIPL); the handler asks for confirmation with buttons.
  roleplay.addSubcommand((s) => described(s, "forget"));
  // A trainee's list with start buttons; trainers and managers see all and close or release one.
  roleplay.addSubcommand((s) =>
    described(s, "assignments")
      .addStringOption((o) =>
        described(o, "assignmentAction").addChoices(
          ...(["close", "release"] as const).map((v) => ({
            name: en.assignmentActionChoices[v],
            name_localizations: { [ZH]: zh.assignmentActionChoices[v] },
            value: v,
          })),
        ),
      )
      .addStringOption((o) => described(o, "assignmentId")),
  );
  // Trainers and managers set an assignment for this server, one of its roles or one member.
  roleplay.addSubcommand((s) =>
    described(s, "assign")
      .addStringOption((o) => described(o, "assignPersonas").setRequired(true))
      .addStringOption((o) => described(o, "assignDue").setRequired(true))
      .addStringOption((o) =>
        described(o, "assignMode").addChoices(
          ...(["practice", "assessment"] as const).map((v) => ({
            name: en.assignModeChoices[v],
            name_localizations: { [ZH]: zh.assignModeChoices[v] },
            value: v,
          })),
        ),
      )
      .addStringOption((o) => described(o, "assignAttempts"))
      .addStringOption((o) => described(o, "assignPassMark"))
      .addRoleOption((o) => described(o, "assignRole"))
      .addUserOption((o) => described(o, "assignMember")),
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
