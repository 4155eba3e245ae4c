// The one composition root of a running installation: `roleplay start` (and each Discord shard
// process, see platforms/discord/shard.ts). Checks the templates and the model, assembles the app,
// starts every configured platform through the registry, schedules the digest to post through
// them, and stops it all on SIGINT/SIGTERM. With no platform configured, the terminal practice.
import type { Config } from "../config.ts";
import { hostOf } from "../llm/network.ts";
import type { Logger } from "../log.ts";
import { measure, type RunningPlatform } from "../platforms/contract.ts";
import type { DigestDestination } from "../reports/digest.ts";
import type { Store } from "../store/port.ts";
import { type AnyPlatform, platforms } from "../platforms/registry.ts";
import type { CliContext } from "./context.ts";
import { cliText } from "./messages.ts";
import { templateProblems } from "./templates.ts";

/**
 * Before a session can start: the endpoints answer (npm start must not open a practice whose
 * customer cannot speak). Prints what is wrong and the choices; returns false then.
 */
async function llmReachable(ctx: CliContext, llm: NonNullable<Config["llm"]>): Promise<boolean> {
  const t = cliText(ctx.language);
  const { probeEndpoints } = await import("../llm/probe.ts");
  const failures = await probeEndpoints([llm.customer, llm.judge], { timeoutMs: Math.min(llm.timeoutMs, 8000) });
  if (failures.length === 0) return true;
  for (const f of failures) {
    ctx.err(f.kind === "auth" ? t.llmAuth(hostOf(f.baseUrl), f.detail) : t.llmUnreachable(hostOf(f.baseUrl), f.detail));
  }
  ctx.err("");
  // The choices only: a model is configured, it just cannot be used.
  ctx.err(t.noLlm.split("\n\n").slice(1).join("\n\n"));
  return false;
}

async function templatesUsable(ctx: CliContext, promptsDir: string): Promise<boolean> {
  const problems = await templateProblems(promptsDir);
  if (problems.length === 0) return true;
  ctx.err(cliText(ctx.language).checkProblems(problems.length));
  for (const p of problems) ctx.err(`  ${p}`);
  return false;
}

/** The checks every practice needs: a model, usable templates, reachable endpoints. */
async function readyToPractise(ctx: CliContext, config: Config): Promise<boolean> {
  if (!config.llm) {
    ctx.err(cliText(ctx.language).noLlm);
    return false;
  }
  return (await templatesUsable(ctx, config.promptsDir)) && (await llmReachable(ctx, config.llm));
}

export async function practiseInTerminal(ctx: CliContext, personaId: string | undefined): Promise<number> {
  const config = ctx.config();
  if (!(await readyToPractise(ctx, config))) return 1;
  return (await import("./practice.ts")).practise(ctx, config, personaId);
}

/** The configured platforms that `roleplay start` runs, narrowed to `only` when given. */
export function platformsToStart(config: Config, only: string | undefined): AnyPlatform[] {
  return platforms().filter((p) => p.start && p.id in config.platforms && (only === undefined || p.id === only));
}

export interface StartOptions {
  personaId?: string;
  /** Run this platform only (a Discord shard process runs Discord alone). */
  only?: string;
  /** Resolves when the installation should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<void>;
}

/** `roleplay start`: every configured platform until stopped. Resolves with the exit code. */
export async function startInstallation(ctx: CliContext, options: StartOptions = {}): Promise<number> {
  const t = cliText(ctx.language);
  const config = ctx.config();
  if (!config.llm) {
    ctx.err(t.noLlm);
    return 1;
  }
  const chosen = platformsToStart(config, options.only);
  if (chosen.length === 0) {
    if (options.only !== undefined) {
      ctx.err(t.platformNotConfigured(options.only));
      return 1;
    }
    return practiseInTerminal(ctx, options.personaId);
  }
  if (!(await readyToPractise(ctx, config))) return 1;

  const { createApp } = await import("../app.ts");
  const app = await createApp(config);
  const { guardProcess } = await import("../process-guard.ts");
  const guard = guardProcess(app.log);
  const stops: Array<() => Promise<void>> = [() => guard.stop()];
  const running: Array<{ platform: AnyPlatform; handle: RunningPlatform }> = [];
  try {
    for (const platform of chosen) {
      const handle = await (platform.start as NonNullable<AnyPlatform["start"]>)(app, config.platforms[platform.id]);
      stops.push(() => handle.stop());
      running.push({ platform, handle });
    }
    // Background work (and the digest) in exactly one process: not in a Discord shard other than 0.
    const background = running.every((r) => r.handle.runsBackground !== false);
    if (background) {
      const digest = await scheduleDigest(config, app, running);
      if (digest) stops.push(async () => digest.stop());
      await app.engine.resume();
      app.engine.startTimers();
    }
    ctx.out(t.botsRunning(running.map((r) => r.platform.name).join(", ")));
    await (options.stopSignal ?? untilSignalled());
    ctx.out(t.stopping);
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await app.close();
  }
}

/** The digest, posted to each configured destination of a running platform that can post. */
async function scheduleDigest(
  config: Config,
  app: { store: Store; log: Logger },
  running: Array<{ platform: AnyPlatform; handle: RunningPlatform }>,
): Promise<{ stop(): void } | null> {
  const digest = config.digest;
  if (!digest) return null;
  const destinations = digest.destinations.flatMap((d): DigestDestination[] => {
    const on = running.find((r) => r.platform.id === d.platform);
    const post = on?.handle.post;
    if (!on || !post) return [];
    return [
      {
        textLimit: on.platform.textLimit,
        measure: (text) => measure(text, on.platform.lengthUnit),
        post: (text, files) => post.call(on.handle, d.destination, text, files),
      },
    ];
  });
  if (destinations.length === 0) return null;
  const { startDigest } = await import("../reports/digest.ts");
  return startDigest({
    store: app.store,
    digest,
    language: config.language,
    timezone: config.timeZone,
    destinations,
    onError: (e) => app.log.error("digest_failed", { error: e instanceof Error ? e.message : String(e) }),
  });
}

function untilSignalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
