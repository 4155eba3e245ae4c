// The platforms the tool knows. Start-up, configuration, the digest, `report --scope`,
// `trainee delete` and `config check` ask this list, never a platform by name; adding a platform is
// its folder plus one line in BUILT_IN (docs/platforms.md walks through it).
import { isPlatformId } from "../domain/session.ts";
import { consolePlatform } from "./console/platform.ts";
import type { PlatformAdapter } from "./contract.ts";
import { discordPlatform } from "./discord/platform.ts";
import { telegramPlatform } from "./telegram/platform.ts";

// biome-ignore lint/suspicious/noExplicitAny: each adapter has its own settings type; the registry holds them all.
export type AnyPlatform = PlatformAdapter<any>;

/** One line per platform, in the order they start and are listed. */
const BUILT_IN: AnyPlatform[] = [consolePlatform, telegramPlatform, discordPlatform];

const registered = new Map<string, AnyPlatform>();
for (const p of BUILT_IN) registerPlatform(p);

/**
 * Adds a platform (the built-in list does this at load; tests and embedders may add their own).
 * Throws for an invalid id, an id already taken, or a variable another platform already reads.
 * Returns a function that removes it again.
 */
export function registerPlatform(adapter: AnyPlatform): () => void {
  if (!isPlatformId(adapter.id))
    throw new Error(
      `platform id "${adapter.id}": use 2-32 lower-case letters, digits or dashes, starting with a letter`,
    );
  if (registered.has(adapter.id)) throw new Error(`platform id "${adapter.id}" is already registered`);
  for (const name of Object.keys(adapter.variables)) {
    const owner = [...registered.values()].find((p) => name in p.variables);
    if (owner) throw new Error(`${adapter.id}: the variable ${name} already belongs to ${owner.id}`);
  }
  registered.set(adapter.id, adapter);
  return () => {
    if (registered.get(adapter.id) === adapter) registered.delete(adapter.id);
  };
}

/** Every registered platform, in registration order. */
export function platforms(): AnyPlatform[] {
  return [...registered.values()];
}

/** The platform with this id, or undefined when none is registered. */
export function platformById(id: string): AnyPlatform | undefined {
  return registered.get(id);
}

/** The platforms whose places have scope ids (`report --scope ID:SCOPE`). */
export function scopedPlatforms(): AnyPlatform[] {
  return platforms().filter((p) => p.scope !== undefined);
}

/**
 * "telegram:12345" as a platform and an id, when the platform is registered and the id is not
 * empty; null otherwise.
 */
export function parsePlatformKey(text: string): { platform: AnyPlatform; id: string } | null {
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  const platform = platformById(text.slice(0, colon));
  const id = text.slice(colon + 1);
  if (!platform || id === "" || /\s/.test(id)) return null;
  return { platform, id };
}
