// Entry point for large installations: a ShardingManager that runs one bot process per shard
// (Discord requires sharding from 2 500 servers). Every process shares the store, so nothing about
// a session lives only in one process; use PostgreSQL (DATABASE_URL=postgres://...) so several
// processes can write at once.
//
//   node dist/platforms/discord/shard.js          (DISCORD_SHARDS=auto by default)
import { fileURLToPath } from "node:url";
import { ShardingManager } from "discord.js";
import { loadConfig } from "../../config.ts";
import { discordSettings } from "./platform.ts";

export interface ShardOptions {
  token: string;
  /** "auto" asks Discord for the recommended count. */
  totalShards?: number | "auto";
}

export function createShardManager(options: ShardOptions): ShardingManager {
  // Compiled (dist/*.js) the workers are compiled too; from the sources (development) they run
  // through tsx like `npm run dev`.
  const fromSources = import.meta.url.endsWith(".ts");
  const worker = fileURLToPath(new URL(fromSources ? "./worker.ts" : "./worker.js", import.meta.url));
  return new ShardingManager(worker, {
    token: options.token,
    totalShards: options.totalShards ?? "auto",
    respawn: true,
    // Each shard runs `roleplay start --platform discord`: the one start-up of every platform.
    shardArgs: ["start", "--platform", "discord"],
    execArgv: fromSources ? ["--import", "tsx"] : [],
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const discord = discordSettings(config);
  if (!discord) throw new Error("Discord is not configured: set DISCORD_TOKEN (and DISCORD_APP_ID)");
  const manager = createShardManager({ token: discord.token, totalShards: discord.shards });
  manager.on("shardCreate", (shard) =>
    process.stderr.write(`${JSON.stringify({ event: "discord.shard_created", shard: shard.id })}\n`),
  );
  await manager.spawn();
  const stop = async () => {
    // Each shard process stops gracefully on SIGTERM (see worker.ts); none may come back.
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.process?.kill("SIGTERM");
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
