// `roleplay discord ...`: registers the slash commands with Discord, and prints the invite link.
// Guild commands appear at once (use them while setting up); global ones can take up to an hour.
import { DiscordAPIError, REST, type RESTOptions, Routes } from "discord.js";
import { ArgsError, parseCommandArgs } from "../../cli/args.ts";
import type { Config } from "../../config.ts";
import { defineMessages } from "../../i18n/index.ts";
import { commandDefinitions } from "./commands.ts";
import { BOT_PERMISSIONS, BOT_PERMISSION_BITS, inviteUrl } from "./permissions.ts";
import { discordSettings } from "./platform.ts";

export interface DiscordCommandContext {
  config: Config;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Tests pass a fake REST layer (`makeRequest`). */
  rest?: Partial<RESTOptions>;
}

const DEPLOY_OPTIONS = { guild: { type: "string" } } as const;

const text = defineMessages({
  en: {
    usage:
      "Usage: roleplay discord deploy-commands [--guild ID]   register /roleplay (in one server at once, or everywhere within an hour)\n" +
      "       roleplay discord invite                         print the link that adds the bot to a server",
    notConfigured: "Discord is not configured: set DISCORD_TOKEN and DISCORD_APP_ID (see .env.example).",
    noAppId: "Set DISCORD_APP_ID (the application id from the Developer Portal's General Information page).",
    badGuild: "--guild needs the numeric server id (right-click the server with Developer Mode on, Copy Server ID).",
    deployedGuild: (n: number, guild: string) =>
      n === 1
        ? `Registered 1 command in server ${guild}: it can be used now.`
        : `Registered ${n} commands in server ${guild}: they can be used now.`,
    deployedGlobal: (n: number) =>
      n === 1
        ? "Registered 1 command globally: it appears in every server within about an hour."
        : `Registered ${n} commands globally: they appear in every server within about an hour.`,
    tokenRejected:
      "Discord rejected DISCORD_TOKEN (401). Copy the bot token again from the Developer Portal's Bot page.",
    noAccess: (guild: string) =>
      `Discord refused access to server ${guild}: invite the bot there with the applications.commands scope (roleplay discord invite).`,
    failed: (status: number, code: string) => `Discord refused the request (HTTP ${status}, code ${code}).`,
    refusedFields: "The fields Discord refused, with its reasons:",
    refusedField: (path: string, reason: string) => `  - ${path}: ${reason}`,
    invite: (url: string) => `Open this link to add the bot to a server:\n${url}`,
    permissions: (bits: string) => `Permissions (${bits}):`,
  },
  "zh-CN": {
    usage:
      "用法：roleplay discord deploy-commands [--guild ID]   注册 /roleplay 命令（指定服务器立即生效，全局约一小时内生效）\n" +
      "      roleplay discord invite                         打印把机器人加入服务器的链接",
    notConfigured: "未配置 Discord：请设置 DISCORD_TOKEN 和 DISCORD_APP_ID（见 .env.example）。",
    noAppId: "请设置 DISCORD_APP_ID（开发者后台 General Information 页面上的 Application ID）。",
    badGuild: "--guild 需要数字形式的服务器 ID（开启开发者模式后右键服务器，复制服务器 ID）。",
    deployedGuild: (n: number, guild: string) => `已在服务器 ${guild} 注册 ${n} 个命令，现在即可使用。`,
    deployedGlobal: (n: number) => `已全局注册 ${n} 个命令，约一小时内会出现在所有服务器中。`,
    tokenRejected: "Discord 拒绝了 DISCORD_TOKEN（401）。请在开发者后台 Bot 页面重新复制令牌。",
    noAccess: (guild: string) =>
      `Discord 拒绝访问服务器 ${guild}：请用带 applications.commands 权限范围的链接邀请机器人（roleplay discord invite）。`,
    failed: (status: number, code: string) => `Discord 拒绝了请求（HTTP ${status}，代码 ${code}）。`,
    refusedFields: "Discord 拒绝的字段及原因：",
    refusedField: (path: string, reason: string) => `  - ${path}：${reason}`,
    invite: (url: string) => `打开此链接把机器人加入服务器：\n${url}`,
    permissions: (bits: string) => `权限（${bits}）：`,
  },
});

export async function discordCommand(args: string[], ctx: DiscordCommandContext): Promise<number> {
  const language = ctx.config.language;
  const t = text(language);
  const [sub, ...rest] = args;
  if (sub !== "invite" && sub !== "deploy-commands") {
    (sub === "--help" || sub === "-h" ? ctx.out : ctx.err)(t.usage);
    return sub === "--help" || sub === "-h" ? 0 : 2;
  }
  let parsed: ReturnType<typeof parseCommandArgs<typeof DEPLOY_OPTIONS>>;
  try {
    parsed = parseCommandArgs(rest, sub === "invite" ? {} : DEPLOY_OPTIONS, `roleplay discord ${sub}`, language);
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    ctx.err(`${e.message}\n${t.usage}`);
    return 2;
  }
  if (parsed.help) {
    ctx.out(t.usage);
    return 0;
  }
  if (parsed.positionals.length > 0) {
    ctx.err(t.usage);
    return 2;
  }
  if (sub === "invite") {
    const appId = discordSettings(ctx.config)?.appId ?? (ctx.config.env.DISCORD_APP_ID as string | undefined);
    if (!appId) {
      ctx.err(t.noAppId);
      return 1;
    }
    const apiUrl = discordSettings(ctx.config)?.apiUrl ?? (ctx.config.env.DISCORD_API_URL as string | undefined);
    ctx.out(t.invite(inviteUrl(appId, apiUrl)));
    ctx.out(t.permissions(BOT_PERMISSION_BITS.toString()));
    for (const p of BOT_PERMISSIONS) ctx.out(`  - ${p.name}: ${p.why}`);
    return 0;
  }
  const guild = parsed.values.guild;
  if (guild !== undefined && !/^\d+$/.test(guild)) {
    ctx.err(t.badGuild);
    return 2;
  }
  const discord = discordSettings(ctx.config);
  if (!discord) {
    ctx.err(t.notConfigured);
    return 1;
  }
  if (!discord.appId) {
    ctx.err(t.noAppId);
    return 1;
  }

  const client = new REST({
    version: "10",
    ...(discord.apiUrl ? { api: discord.apiUrl } : {}),
    ...ctx.rest,
  }).setToken(discord.token);
  const body = commandDefinitions();
  try {
    await client.put(
      guild ? Routes.applicationGuildCommands(discord.appId, guild) : Routes.applicationCommands(discord.appId),
      {
        body,
      },
    );
  } catch (e) {
    if (e instanceof DiscordAPIError) {
      if (e.status === 401) ctx.err(t.tokenRejected);
      else if (guild && e.status === 403) ctx.err(t.noAccess(guild));
      else {
        ctx.err(t.failed(e.status, String(e.code)));
        const fields = refusedFields(e.rawError);
        if (fields.length > 0)
          ctx.err([t.refusedFields, ...fields.map((f) => t.refusedField(f.path, f.reason))].join("\n"));
      }
      return 1;
    }
    throw e;
  }
  ctx.out(guild ? t.deployedGuild(body.length, guild) : t.deployedGlobal(body.length));
  return 0;
}

/**
 * The fields an "Invalid Form Body" (50035) names, from Discord's nested `errors` object:
 * `{ "0": { "options": { "1": { "name": { "_errors": [{ "code", "message" }] } } } } }` becomes
 * `[0].options[1].name: message (code)`. Discord's reasons are its own English text about our
 * command definitions: nothing personal.
 */
export function refusedFields(raw: unknown): Array<{ path: string; reason: string }> {
  const out: Array<{ path: string; reason: string }> = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "_errors" && Array.isArray(value)) {
        for (const e of value as Array<{ code?: unknown; message?: unknown }>) {
          const reason = typeof e?.message === "string" ? e.message : "";
          const code = typeof e?.code === "string" ? ` (${e.code})` : "";
          out.push({ path: path || "(body)", reason: `${reason}${code}`.trim() });
        }
      } else {
        walk(value, /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
      }
    }
  };
  walk((raw as { errors?: unknown } | null)?.errors, "");
  return out;
}
