// The Discord platform: run the bot (`startDiscord`), build it for tests (`createDiscordBot`), and
// the command definitions the deploy command registers.
import type { Config } from "../../config.ts";
import type { Logger } from "../../log.ts";
import { createDiscordBot, type DiscordApp, type DiscordBot } from "./bot.ts";
import { type DiscordConfig, discordSettings } from "./platform.ts";

export { createDiscordBot, type DiscordApp, type DiscordBot, type DiscordSettings, INTENTS } from "./bot.ts";
export { commandDefinitions, COMMAND_NAME } from "./commands.ts";
export { BOT_PERMISSION_BITS, BOT_PERMISSIONS, inviteUrl } from "./permissions.ts";

/**
 * Logs in with `DISCORD_TOKEN` and serves until `stop()`. With sharding (see shard.ts), each shard
 * process calls this; the shard ids come from the ShardingManager's environment.
 */
export async function startDiscord(
  app: DiscordApp & { config: Pick<Config, "platforms">; log?: Logger },
  settings: DiscordConfig | null = discordSettings(app.config),
): Promise<{
  bot: DiscordBot;
  stop(): Promise<void>;
}> {
  const discord = settings;
  if (!discord) throw new Error("Discord is not configured: set DISCORD_TOKEN (and DISCORD_APP_ID)");
  const bot = createDiscordBot(app, {
    token: discord.token,
    appId: discord.appId,
    managerRoleIds: discord.managerRoleIds,
    trainerRoleIds: discord.trainerRoleIds,
    apiUrl: discord.apiUrl,
    ...(app.log ? { log: app.log } : {}),
  });
  await bot.login();
  return { bot, stop: () => bot.stop() };
}
