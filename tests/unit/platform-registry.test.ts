// The platform registry and its contract: ids are validated and unique, variables belong to one
// platform, keys like "telegram:123" resolve only for registered platforms, lengths are measured in
// each platform's unit, and no code outside src/platforms/ names a platform (so adding one never
// needs a change there).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isSecret, loadConfig } from "../../src/config.ts";
import { isPlatformId } from "../../src/domain/session.ts";
import { measure, type PlatformAdapter, settingsOf } from "../../src/platforms/contract.ts";
import { discordPlatform } from "../../src/platforms/discord/platform.ts";
import { parsePlatformKey, platformById, platforms, registerPlatform } from "../../src/platforms/registry.ts";
import { telegramPlatform } from "../../src/platforms/telegram/platform.ts";
import { chatSummaryText } from "../../src/reports/chat.ts";
import type { TeamSummary } from "../../src/reports/summary.ts";

const minimal = (id: string, variables: PlatformAdapter["variables"] = {}): PlatformAdapter<null> => ({
  id,
  name: id,
  variables,
  settings: () => null,
  textLimit: 100,
  lengthUnit: "utf16",
  exampleUserId: "1",
});

describe("the platform registry", () => {
  it("knows the built-in platforms, in order", () => {
    expect(platforms().map((p) => p.id)).toEqual(["console", "telegram", "discord"]);
    expect(platformById("telegram")).toBe(telegramPlatform);
    expect(platformById("slack")).toBeUndefined();
  });

  it("accepts only well-formed, unused ids and variables nobody else reads", () => {
    for (const bad of ["", "a", "Slack", "we chat", "9gag", "-x", "x".repeat(33), "wecom:1"]) {
      expect(isPlatformId(bad), bad).toBe(false);
      expect(() => registerPlatform(minimal(bad)), bad).toThrow(/platform id/);
    }
    for (const good of ["wecom", "slack", "web-chat", "x2", "a".repeat(32)])
      expect(isPlatformId(good), good).toBe(true);
    expect(() => registerPlatform(minimal("telegram"))).toThrow(/already registered/);
    expect(() =>
      registerPlatform(minimal("slack", { DISCORD_TOKEN: discordPlatform.variables.DISCORD_TOKEN! })),
    ).toThrow(/DISCORD_TOKEN already belongs to discord/);
    const unregister = registerPlatform(minimal("slack"));
    expect(platformById("slack")?.id).toBe("slack");
    unregister();
    expect(platformById("slack")).toBeUndefined();
  });

  it("resolves PLATFORM:ID keys only for registered platforms and a non-empty id", () => {
    expect(parsePlatformKey("telegram:123")).toEqual({ platform: telegramPlatform, id: "123" });
    expect(parsePlatformKey("discord:1:2")?.id).toBe("1:2");
    for (const bad of ["telegram:", "slack:1", "telegram", ":1", "telegram:1 2"])
      expect(parsePlatformKey(bad), bad).toBeNull();
  });
});

describe("each platform's own configuration", () => {
  it("is read from its variables and kept under its id; unset, it is not configured", () => {
    const none = loadConfig({});
    expect(none.platforms).toEqual({});
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_MANAGER_IDS: "1, 2", DISCORD_TOKEN: "d" });
    expect(settingsOf(config, telegramPlatform)).toMatchObject({
      token: "123:abc",
      managerIds: ["1", "2"],
      webhook: null,
    });
    expect(settingsOf(config, discordPlatform)).toMatchObject({ token: "d", shards: "auto" });
  });

  it("reports a wrong value of a platform's variable by name, without the value", () => {
    try {
      loadConfig({ DISCORD_SHARDS: "many", TELEGRAM_WEBHOOK_PORT: "http" });
      expect.unreachable();
    } catch (e) {
      const text = (e as Error).message;
      expect(text).toMatch(/DISCORD_SHARDS: auto or a whole number/);
      expect(text).toMatch(/TELEGRAM_WEBHOOK_PORT/);
      expect(text).not.toContain("many");
    }
  });

  it("needs a digest destination on a configured platform, naming every platform's variable", () => {
    expect(() => loadConfig({ REPORT_DIGEST_CRON: "0 9 * * 1" })).toThrow(
      /REPORT_DIGEST_TELEGRAM_CHAT_ID or REPORT_DIGEST_DISCORD_CHANNEL_ID/,
    );
    // A destination of a platform that is not configured cannot be posted to.
    expect(() => loadConfig({ REPORT_DIGEST_CRON: "0 9 * * 1", REPORT_DIGEST_TELEGRAM_CHAT_ID: "-100" })).toThrow(
      /REPORT_DIGEST_CRON/,
    );
    const config = loadConfig({
      REPORT_DIGEST_CRON: "0 9 * * 1",
      REPORT_DIGEST_TELEGRAM_CHAT_ID: "-100",
      TELEGRAM_BOT_TOKEN: "1:a",
    });
    expect(config.digest).toEqual({
      cron: "0 9 * * 1",
      days: 7,
      destinations: [{ platform: "telegram", destination: "-100" }],
    });
  });

  it("marks each platform's tokens as secrets", () => {
    for (const name of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_TOKEN", "LLM_API_KEY"])
      expect(isSecret(name), name).toBe(true);
    for (const name of ["TELEGRAM_MANAGER_IDS", "DISCORD_APP_ID", "TIME_ZONE"])
      expect(isSecret(name), name).toBe(false);
  });
});

describe("lengths in a platform's unit", () => {
  it("counts UTF-16 units or UTF-8 bytes", () => {
    expect(measure("您好😀", "utf16")).toBe(4);
    expect(measure("您好😀", "utf8")).toBe(10);
    expect(telegramPlatform.lengthUnit).toBe("utf16");
    expect(discordPlatform.textLimit).toBe(2000);
  });

  it("fits the chat summary to a byte limit without cutting a character", () => {
    const summary = {
      period: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 8) },
      timeZone: "Asia/Shanghai",
      scope: null,
      totals: { started: 0 },
    } as unknown as TeamSummary;
    const full = chatSummaryText(summary, "zh-CN");
    const bytes = Buffer.byteLength(full, "utf8");
    expect(bytes).toBeGreaterThan(40);
    const limit = bytes - 10;
    const fitted = chatSummaryText(summary, "zh-CN", limit, (t) => Buffer.byteLength(t, "utf8"));
    expect(Buffer.byteLength(fitted, "utf8")).toBeLessThanOrEqual(limit);
    expect(fitted.endsWith("…")).toBe(true);
    expect(full.startsWith(fitted.slice(0, -1))).toBe(true);
  });
});

describe("outside src/platforms/ no code names a platform", () => {
  it("has no string naming Telegram or Discord (comments may give examples)", () => {
    const root = path.resolve(import.meta.dirname, "../../src");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (full !== path.join(root, "platforms")) walk(full);
        } else if (entry.name.endsWith(".ts")) {
          const code = fs
            .readFileSync(full, "utf8")
            .replace(/\/\*[\s\S]*?\*\//g, "")
            .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
          for (const m of code.matchAll(/["'`][^"'`\n]*\b(telegram|discord)\b[^"'`\n]*["'`]/gi))
            offenders.push(`${path.relative(root, full)}: ${m[0]}`);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
