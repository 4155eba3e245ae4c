// One shard process started by shard.ts: the whole app with the Discord bot for the shards the
// ShardingManager assigned (discord.js reads them from the environment). Shard 0 alone runs the
// engine's background work (resuming interrupted turns, idle timeouts, due evaluations), so it is
// done once, not once per shard.
import { createApp } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { errorFields } from "../../log.ts";
import { startDiscord } from "./index.ts";

const config = loadConfig();
const app = await createApp(config);
const { bot, stop } = await startDiscord(app);
const shardIds = bot.client.shard?.ids ?? [0];
if (shardIds.includes(0)) {
  await app.engine.resume().catch((e) => app.log.error("discord.resume_failed", errorFields(e)));
  app.engine.startTimers();
}
const shutdown = async () => {
  await stop();
  await app.close();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
