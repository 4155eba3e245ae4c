// `roleplay discord deploy-commands` and `invite`, against the fake Discord (no network).
import { describe, expect, it } from "vitest";
import { discordCommand } from "../../src/platforms/discord/cli.ts";
import { loadConfig } from "../../src/config.ts";
import { createFakeDiscord } from "../support/discord-harness.ts";
import { serveFakeDiscord } from "../support/discord-http.ts";

function run(args: string[], env: Record<string, string>, discord = createFakeDiscord()) {
  const out: string[] = [];
  const err: string[] = [];
  const config = loadConfig({ BOT_LANGUAGE: "en", ...env });
  const code = discordCommand(args, {
    config,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    rest: discord.clientOptions.rest,
  });
  return code.then((c) => ({ code: c, out, err, discord }));
}

describe("roleplay discord", () => {
  it("registers /roleplay in one server with --guild, so it can be used at once", async () => {
    const discord = createFakeDiscord();
    const r = await run(
      ["deploy-commands", "--guild", discord.guildId],
      { DISCORD_TOKEN: "tok", DISCORD_APP_ID: discord.appId },
      discord,
    );
    expect(r.code).toBe(0);
    const put = discord.requestsTo("PUT", /\/commands$/);
    expect(put.map((p) => p.path)).toEqual([`/applications/${discord.appId}/guilds/${discord.guildId}/commands`]);
    expect(put[0]?.body.map((c: { name: string }) => c.name)).toEqual(["roleplay"]);
    expect(r.out.join("\n")).toContain(`server ${discord.guildId}`);
  });

  it("registers /roleplay globally without --guild", async () => {
    const discord = createFakeDiscord();
    const r = await run(["deploy-commands"], { DISCORD_TOKEN: "tok", DISCORD_APP_ID: discord.appId }, discord);
    expect(r.code).toBe(0);
    expect(discord.requestsTo("PUT", /\/commands$/).map((p) => p.path)).toEqual([
      `/applications/${discord.appId}/commands`,
    ]);
    expect(r.out.join("\n")).toContain("within about an hour");
  });

  it("explains a rejected token without printing it", async () => {
    const discord = createFakeDiscord();
    discord.failNext("PUT", /\/commands$/, { status: 401, code: 0, message: "401: Unauthorized" });
    const r = await run(
      ["deploy-commands"],
      { DISCORD_TOKEN: "very-secret-token", DISCORD_APP_ID: discord.appId },
      discord,
    );
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain("rejected DISCORD_TOKEN");
    expect(r.err.join("\n")).not.toContain("very-secret-token");
  });

  it("asks for the token and application id, and for a numeric server id", async () => {
    expect((await run(["deploy-commands"], {})).err.join("\n")).toContain("DISCORD_TOKEN");
    expect((await run(["deploy-commands"], { DISCORD_TOKEN: "tok" })).err.join("\n")).toContain("DISCORD_APP_ID");
    const bad = await run(["deploy-commands", "--guild", "my-server"], { DISCORD_TOKEN: "tok", DISCORD_APP_ID: "1" });
    expect(bad.code).toBe(2);
  });

  it("prints an invite link with the bot and applications.commands scopes and the permission integer", async () => {
    const r = await run(["invite"], { DISCORD_TOKEN: "tok", DISCORD_APP_ID: "123456" });
    expect(r.code).toBe(0);
    const url = new URL(r.out[0]?.split("\n")[1] ?? "");
    expect(url.searchParams.get("client_id")).toBe("123456");
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    expect(url.searchParams.get("permissions")).toBe("395673979904");
  });

  it("names each field Discord refused in a 50035, with its reason, not only the code", async () => {
    const discord = createFakeDiscord();
    discord.failNext("PUT", /\/commands$/, {
      status: 400,
      code: 50035,
      message: "Invalid Form Body",
      errors: {
        "0": {
          options: {
            "1": {
              description: {
                _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." }],
              },
            },
          },
          name_localizations: {
            "zh-CN": {
              _errors: [{ code: "STRING_TYPE_REGEX", message: "String value did not match validation regex." }],
            },
          },
        },
      },
    });
    const r = await run(["deploy-commands"], { DISCORD_TOKEN: "tok", DISCORD_APP_ID: discord.appId }, discord);
    expect(r.code).toBe(1);
    const err = r.err.join("\n");
    expect(err).toContain("HTTP 400, code 50035");
    expect(err).toContain("[0].options[1].description: Must be 100 or fewer in length. (BASE_TYPE_MAX_LENGTH)");
    expect(err).toContain(
      "[0].name_localizations.zh-CN: String value did not match validation regex. (STRING_TYPE_REGEX)",
    );
  });

  it("DISCORD_API_URL points deploy-commands and invite at a Discord-compatible server", async () => {
    const discord = createFakeDiscord();
    const server = await serveFakeDiscord(discord);
    try {
      const out: string[] = [];
      const err: string[] = [];
      const config = loadConfig({
        BOT_LANGUAGE: "en",
        DISCORD_TOKEN: "tok",
        DISCORD_APP_ID: discord.appId,
        DISCORD_API_URL: server.apiUrl,
      });
      // No fake REST layer here: the request goes over HTTP to the URL.
      const code = await discordCommand(["deploy-commands", "--guild", discord.guildId], {
        config,
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(discord.requestsTo("PUT", /\/commands$/).map((p) => p.path)).toEqual([
        `/applications/${discord.appId}/guilds/${discord.guildId}/commands`,
      ]);
      await discordCommand(["invite"], { config, out: (l) => out.push(l), err: (l) => err.push(l) });
      const link = new URL(out.find((l) => l.includes("oauth2"))?.split("\n")[1] ?? "");
      expect(link.origin + link.pathname).toBe(`${new URL(server.apiUrl).origin}/oauth2/authorize`);
      expect(link.searchParams.get("client_id")).toBe(discord.appId);
    } finally {
      await server.close();
    }
  });
});
