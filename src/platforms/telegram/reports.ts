// Managers' /report [period]: the team summary as a message and the HTML report as a document.
// In a group it covers that group; in a private chat, every group the manager manages. The
// answer goes to the manager privately, so team figures never land in a practice group.
import { Composer, type Context, InputFile } from "grammy";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { classifyFault } from "./faults.ts";
import { isGroup } from "./place.ts";

export function managerReportFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();
  c.command("report", async (ctx) => {
    if (!ctx.from || !ctx.chat) return;
    const { language, t } = await textsFor(ctx, deps);
    if (!deps.reports) {
      await answer(ctx, deps, t.reportsUnavailable);
      return;
    }
    const viewer = await deps.roles.viewer(String(ctx.from.id), ctx.chat);
    const scope = isGroup(ctx.chat) ? { platform: "telegram" as const, scopeId: String(ctx.chat.id) } : null;
    const period = typeof ctx.match === "string" && ctx.match.trim() !== "" ? ctx.match.trim() : undefined;
    const r = await deps.reports.forChat(viewer, period, language, scope);
    if (!r.ok) {
      await answer(ctx, deps, r.message);
      return;
    }
    const to = ctx.from.id;
    try {
      await ctx.api.sendMessage(to, r.text);
      for (const f of r.files) await ctx.api.sendDocument(to, new InputFile(f.content, f.name));
      if (isGroup(ctx.chat)) await answer(ctx, deps, t.sentPrivately);
    } catch (error) {
      const kind = classifyFault(error).kind;
      if (kind !== "blocked" && kind !== "bad_request") throw error;
      await answer(ctx, deps, t.openPrivateChat);
    }
  });
  return c;
}
