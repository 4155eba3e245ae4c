// One shard process started by shard.ts: the same start-up as `roleplay start` (templates and
// model checked, the digest scheduled), for Discord only, with the shards the ShardingManager
// assigned (discord.js reads them from the environment). Shard 0 alone runs the engine's
// background work and the digest (RunningPlatform.runsBackground), so they run once, not once per
// shard.
import { run } from "../../cli.ts";

await run();
