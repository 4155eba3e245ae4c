// Discord as the registry sees it: its variables, its settings, how it starts (also inside a shard
// process, see shard.ts), and how it posts the digest. discord.js loads only when it starts.
import type { Client } from "discord.js";
import { z } from "zod";
import { idList, optionalText, optionalUrl } from "../../config/fields.ts";
import { defineMessages } from "../../i18n/index.ts";
import { type PlatformAdapter, type PlatformFile, settingsOf } from "../contract.ts";
import { splitMessage } from "../split.ts";

/** What the bot runs with (from the DISCORD_* variables). */
export interface DiscordConfig {
  token: string;
  appId: string | undefined;
  managerRoleIds: string[];
  trainerRoleIds: string[];
  /** REPORT_DIGEST_DISCORD_CHANNEL_ID: where the weekly digest goes. */
  digestChannelId: string | undefined;
  /** DISCORD_SHARDS: how many shards shard.ts starts ("auto": Discord's recommendation). */
  shards: number | "auto";
  /** DISCORD_API_URL: another REST base (a Discord-compatible server, a test server); default Discord's. */
  apiUrl: string | undefined;
}

/** Discord's limit on a message's content (UTF-16 units). */
const DISCORD_TEXT_LIMIT = 2000;

/** The words this declaration gives the CLI: report scopes and the `roleplay discord` usage lines. */
const declared = defineMessages({
  en: {
    scopePlaceholder: "GUILD_ID",
    scopeNoun: "Discord server",
    usage: `  discord deploy-commands    register the Discord slash commands (--guild ID: one server, at once)
  discord invite             print the link that adds the bot to a Discord server`,
  },
  "zh-CN": {
    scopePlaceholder: "服务器ID",
    scopeNoun: "Discord 服务器",
    usage: `  discord deploy-commands    注册 Discord 斜杠命令（--guild ID：只在一个服务器注册，立即生效）
  discord invite             打印把机器人加入 Discord 服务器的链接`,
  },
});

export const discordPlatform: PlatformAdapter<DiscordConfig> = {
  id: "discord",
  name: "Discord",
  variables: {
    DISCORD_TOKEN: {
      schema: optionalText,
      doc: "The bot's token (Developer Portal → your application → Bot). Set it to run the Discord bot.",
      secret: true,
    },
    DISCORD_APP_ID: {
      schema: optionalText.pipe(z.string().regex(/^\d+$/, "the numeric application id").optional()),
      doc: "The application id, for `roleplay discord deploy-commands` and `invite`.",
    },
    DISCORD_API_URL: {
      schema: optionalUrl,
      doc: "Another REST API base, e.g. http://127.0.0.1:8080/api (a Discord-compatible server, or a test server); the gateway address comes from its GET /gateway/bot. Default Discord's own.",
    },
    DISCORD_MANAGER_ROLE_IDS: { schema: idList, doc: "Role ids whose members manage a server (its reports)." },
    DISCORD_TRAINER_ROLE_IDS: { schema: idList, doc: "Role ids whose members are trainers." },
    REPORT_DIGEST_DISCORD_CHANNEL_ID: {
      schema: optionalText,
      doc: "The Discord channel the weekly digest goes to (with REPORT_DIGEST_CRON).",
    },
    DISCORD_SHARDS: {
      schema: optionalText.pipe(
        z
          .string()
          .regex(/^(auto|[1-9]\d*)$/, "auto or a whole number of shards")
          .optional(),
      ),
      doc: "Shards the sharding entry (dist/platforms/discord/shard.js) starts: auto (default) or a number.",
    },
  },
  settings(env) {
    const v = env as {
      DISCORD_TOKEN?: string;
      DISCORD_APP_ID?: string;
      DISCORD_API_URL?: string;
      DISCORD_MANAGER_ROLE_IDS: string[];
      DISCORD_TRAINER_ROLE_IDS: string[];
      REPORT_DIGEST_DISCORD_CHANNEL_ID?: string;
      DISCORD_SHARDS?: string;
    };
    if (!v.DISCORD_TOKEN) return null;
    return {
      token: v.DISCORD_TOKEN,
      appId: v.DISCORD_APP_ID,
      managerRoleIds: v.DISCORD_MANAGER_ROLE_IDS,
      trainerRoleIds: v.DISCORD_TRAINER_ROLE_IDS,
      digestChannelId: v.REPORT_DIGEST_DISCORD_CHANNEL_ID,
      shards: v.DISCORD_SHARDS === undefined || v.DISCORD_SHARDS === "auto" ? "auto" : Number(v.DISCORD_SHARDS),
      apiUrl: v.DISCORD_API_URL,
    };
  },
  textLimit: DISCORD_TEXT_LIMIT,
  lengthUnit: "utf16",
  scope: {
    en: { placeholder: declared("en").scopePlaceholder, noun: declared("en").scopeNoun },
    "zh-CN": { placeholder: declared("zh-CN").scopePlaceholder, noun: declared("zh-CN").scopeNoun },
  },
  exampleUserId: "123456789012345678",
  digest: { variable: "REPORT_DIGEST_DISCORD_CHANNEL_ID", destination: (s) => s.digestChannelId ?? null },
  command: {
    usage: { en: declared("en").usage, "zh-CN": declared("zh-CN").usage },
    run: async (args, ctx) => (await import("./cli.ts")).discordCommand(args, ctx),
  },
  async start(app, settings) {
    const { startDiscord } = await import("./index.ts");
    const handle = await startDiscord(app, settings);
    const client = handle.bot.client;
    return {
      stop: () => handle.stop(),
      // In a shard process (shard.ts), shard 0 alone does the engine's background work and the digest.
      runsBackground: (client.shard?.ids ?? [0]).includes(0),
      post: (channelId: string, text: string, files: PlatformFile[]) => postToChannel(client, channelId, text, files),
    };
  },
};

/**
 * Posts unprompted to a configured channel (the weekly digest): the text, cut to Discord's limit,
 * with the files attached. Throws, naming the variable, when the bot cannot post there.
 */
export async function postToChannel(
  client: Client,
  channelId: string,
  text: string,
  files: PlatformFile[],
): Promise<void> {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable())
    throw new Error(`REPORT_DIGEST_DISCORD_CHANNEL_ID ${channelId}: not a channel the bot can post in`);
  await channel.send({
    content: splitMessage(text, DISCORD_TEXT_LIMIT)[0] ?? "",
    files: files.map((f) => ({ attachment: f.content, name: f.name })),
  });
}

/** The Discord settings of a configuration, or null when Discord is not configured. */
export function discordSettings(config: { platforms: Readonly<Record<string, unknown>> }): DiscordConfig | null {
  return settingsOf(config, discordPlatform);
}
