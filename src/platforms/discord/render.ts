// Pure rendering for Discord: the evaluation card as an embed within Discord's limits, its
// buttons, and customer text split into messages of at most 2000 characters.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { EvaluationCard } from "../../domain/evaluation.ts";
import { splitMessage } from "../split.ts";
import { buttonId } from "./commands.ts";
import type { DiscordMessages } from "./messages.ts";

/** Published limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

const PASS_COLOUR = 0x2e7d32;
const FAIL_COLOUR = 0xc62828;

/** Characters Discord counts towards the 6000 total of an embed. */
export function embedLength(e: APIEmbed): number {
  let n =
    (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function clip(text: string, max: number, ellipsis = "…"): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - ellipsis.length)).trimEnd() + ellipsis;
}

function quote(text: string, max: number): string {
  return `“${clip(text.replace(/\s+/g, " ").trim(), max)}”`;
}

/** The evaluation card as one embed: total and pass/fail, one field per criterion, the rest after. */
export function evaluationEmbed(card: EvaluationCard, m: DiscordMessages): APIEmbed {
  const L = card.labels;
  const description = [`**${card.totalLine}**`, card.outcomeLabel, card.summary]
    .filter((s) => s.trim() !== "")
    .join("\n\n");

  const criterionFields = card.criteria.map((c) => ({
    name: clip(c.name, LIMITS.fieldName),
    value: `${c.bar} ${formatScore(c.score)}/${c.max}${c.lowConfidence ? ` · ${L.lowConfidence}` : ""}`,
    inline: true,
  }));

  const tail: Array<{ name: string; value: string; inline?: boolean }> = [];
  if (card.strengths.length > 0) {
    tail.push({
      name: L.strengths,
      value: card.strengths
        .map((s) => `• **${s.criterion}**: ${s.note}${s.quote ? ` — ${quote(s.quote, 200)}` : ""}`)
        .join("\n"),
    });
  }
  if (card.improvements.length > 0) {
    tail.push({
      name: L.improvements,
      value: card.improvements
        .map(
          (i) =>
            `• **${i.criterion}**${i.youSaid ? `\n${L.youSaid}: ${quote(i.youSaid, 200)}` : ""}\n${L.tryInstead}: ${quote(i.tryInstead, 300)}`,
        )
        .join("\n"),
    });
  }
  tail.push({ name: L.outcome, value: card.outcomeLabel, inline: true });
  if (card.moodCurve.trim() !== "") tail.push({ name: L.mood, value: card.moodCurve, inline: true });
  if (card.factsLine) {
    // "Hidden facts found out: 2 of 4" → name and value, so it lines up with outcome and mood.
    const [name, value] = card.factsLine.split(/[:：]\s*/);
    tail.push({
      name: (name ?? card.factsLine).slice(0, 256),
      value: (value ?? "").slice(0, 1024) || "–",
      inline: true,
    });
  }
  if (card.flags.length > 0)
    tail.push({
      name: L.flags,
      value: card.flags.map((f) => `⚠️ ${f}`).join("\n"),
    });

  // Criteria come first; if a rubric has more than fits, the tail (strengths, improvements,
  // outcome) is kept and the last criteria give way: the full report lists them all.
  const room = LIMITS.fields - tail.length;
  const fields = [...criterionFields.slice(0, Math.max(0, room)), ...tail].map((f) => ({
    ...f,
    name: clip(f.name, LIMITS.fieldName),
    value: clip(f.value, LIMITS.fieldValue, m.moreOmitted),
  }));

  const minutes = Math.max(1, Math.round(card.durationMs / 60_000));
  let footer = m.evaluationFooter(card.traineeTurns, minutes);
  if (card.droppedQuotes > 0) footer += ` · ${L.droppedQuotes}`;

  const embed: APIEmbed = {
    title: clip(card.title, LIMITS.title),
    description: clip(description, LIMITS.description, m.moreOmitted),
    color: card.passed ? PASS_COLOUR : FAIL_COLOUR,
    fields,
    footer: { text: clip(footer, LIMITS.footer) },
  };
  return fitTotal(embed, m);
}

/** Shrinks the longest texts (description first) until the embed is within the 6000 total. */
function fitTotal(embed: APIEmbed, m: DiscordMessages): APIEmbed {
  let over = embedLength(embed) - LIMITS.total;
  if (over <= 0) return embed;
  const desc = embed.description ?? "";
  embed.description = clip(desc, Math.max(200, desc.length - over), m.moreOmitted);
  const fields = embed.fields ?? [];
  over = embedLength(embed) - LIMITS.total;
  while (over > 0) {
    // The longest field name or value gives way first; names keep at least 20 characters.
    let best: { i: number; key: "name" | "value"; room: number } | null = null;
    fields.forEach((f, i) => {
      for (const key of ["name", "value"] as const) {
        const room = f[key].length - (key === "name" ? 20 : 40);
        if (room > 0 && (!best || room > best.room)) best = { i, key, room };
      }
    });
    const pick = best as { i: number; key: "name" | "value"; room: number } | null;
    const f = pick ? fields[pick.i] : undefined;
    if (!pick || !f) {
      // Nothing left to shorten: drop the last field (the full report has everything).
      if (fields.length === 0) break;
      fields.pop();
    } else {
      const target = f[pick.key].length - Math.min(over, pick.room);
      f[pick.key] = clip(f[pick.key], target, pick.key === "value" ? m.moreOmitted : "…");
    }
    over = embedLength(embed) - LIMITS.total;
  }
  return embed;
}

function formatScore(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** "Full report" and "Try again" under the evaluation card (an assessment's card offers no retry). */
export function evaluationButtons(
  sessionId: string,
  m: DiscordMessages,
  assessment = false,
): APIActionRowComponent<APIButtonComponent> {
  const row: APIActionRowComponent<APIButtonComponent> = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: m.fullReport,
        custom_id: buttonId("fullReport", sessionId),
        emoji: { name: "📄" },
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: m.tryAgain,
        custom_id: buttonId("tryAgain", sessionId),
        emoji: { name: "🔁" },
      },
    ],
  };
  if (assessment) row.components = row.components.slice(0, 1);
  return row;
}

/**
 * The messages that carry one customer reply. Through a webhook the persona's name is the
 * sender; as the bot, each part starts with the name in bold so watchers know who speaks.
 */
export function customerMessages(speaker: string, text: string, viaWebhook: boolean): string[] {
  if (viaWebhook) return splitMessage(text, LIMITS.content);
  const prefix = `**${speaker}**: `;
  return splitMessage(text, LIMITS.content - prefix.length).map((p) => prefix + p);
}

/** Bot text split within the content limit. */
export function textMessages(text: string): string[] {
  return splitMessage(text, LIMITS.content);
}

/** A thread name within Discord's 100 characters. */
export function threadName(name: string): string {
  return clip(name.replace(/\s+/g, " ").trim(), 100);
}
