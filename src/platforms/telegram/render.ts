// Turns text, customer lines and evaluation cards into Telegram messages: HTML with every piece of
// user or model text escaped, a plain-text twin of each message for when Telegram rejects the
// markup, and no message longer than Telegram's 4096 characters.
import type { EvaluationCard } from "../../domain/evaluation.ts";
import { splitMessage } from "../split.ts";

/** Telegram's limit on a message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** One outgoing message: the HTML version, and the plain text sent if Telegram refuses the HTML. */
export interface Rendered {
  html: string;
  plain: string;
}

/** Escapes the three characters Telegram's HTML parse mode treats as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text as a message (escaped for HTML, identical as plain text). */
export function plainText(text: string): Rendered[] {
  return longText(text);
}

/**
 * A long text split at sentence boundaries so that every message, with `header` (already HTML)
 * on the first one, stays within the limit, in its HTML form and in its plain form alike (the
 * limit counts visible characters, but a message that is short in both ways is safe either way).
 */
export function longText(text: string, header?: { html: string; plain: string }): Rendered[] {
  const headerSize = header ? Math.max(header.html.length, header.plain.length) + 1 : 0;
  const budget = TELEGRAM_TEXT_LIMIT - headerSize;
  const parts = fitParts(text, budget, (part) => escapeHtml(part).length);
  return parts.map((part, i) =>
    i === 0 && header
      ? { html: `${header.html}\n${escapeHtml(part)}`, plain: `${header.plain}\n${part}` }
      : { html: escapeHtml(part), plain: part },
  );
}

/** Splits `text` so each part measures at most `budget`, shrinking parts whose escaping grew them. */
function fitParts(text: string, budget: number, measure: (part: string) => number): string[] {
  const out: string[] = [];
  for (const part of splitMessage(text, Math.max(2, budget))) {
    const size = measure(part);
    if (size <= budget || part.length <= 2) out.push(part);
    else out.push(...fitParts(part, Math.max(2, Math.floor((part.length * budget) / size) - 1), measure));
  }
  return out;
}

/** A customer's line; in groups it carries the persona's name so watchers know who speaks. */
export function customerLine(speaker: string, text: string, withName: boolean): Rendered[] {
  return longText(text, withName ? { html: `<b>${escapeHtml(speaker)}</b>`, plain: speaker } : undefined);
}

/** A block of a composed message: rendered both ways. Blocks are joined by blank lines. */
type Block = Rendered;

function block(html: string, plain: string): Block {
  return { html, plain };
}

/** Packs blocks into as few messages as fit; a block too long for one message is split as text. */
export function packBlocks(blocks: Block[]): Rendered[] {
  const out: Rendered[] = [];
  let current: Rendered | null = null;
  const flush = () => {
    if (current) out.push(current);
    current = null;
  };
  for (const b of blocks) {
    const size = Math.max(b.html.length, b.plain.length);
    if (size > TELEGRAM_TEXT_LIMIT) {
      flush();
      out.push(...longText(b.plain));
      continue;
    }
    if (current) {
      const joined: Rendered = { html: `${current.html}\n\n${b.html}`, plain: `${current.plain}\n\n${b.plain}` };
      if (Math.max(joined.html.length, joined.plain.length) <= TELEGRAM_TEXT_LIMIT) {
        current = joined;
        continue;
      }
      flush();
    }
    current = { ...b };
  }
  flush();
  return out;
}

/** m:ss, or h:mm:ss for long sessions. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * The evaluation card as Telegram HTML. The card is already localized; everything in it that came
 * from the judge, the persona or the trainee is escaped.
 */
export function renderEvaluationCard(card: EvaluationCard): Rendered[] {
  const e = escapeHtml;
  const L = card.labels;
  const blocks: Block[] = [];

  blocks.push(block(`<b>${e(card.title)}</b>\n<b>${e(card.totalLine)}</b>`, `${card.title}\n${card.totalLine}`));

  if (card.criteria.length > 0) {
    const lines = card.criteria.map((c) => {
      const low = c.lowConfidence ? ` (${L.lowConfidence})` : "";
      return {
        html: `${e(c.name)}  ${e(c.bar)} ${c.score}/${c.max}${e(low)}`,
        plain: `${c.name}  ${c.bar} ${c.score}/${c.max}${low}`,
      };
    });
    blocks.push(
      block(
        [`<b>${e(L.criteria)}</b>`, ...lines.map((l) => l.html)].join("\n"),
        [L.criteria, ...lines.map((l) => l.plain)].join("\n"),
      ),
    );
  }

  if (card.strengths.length > 0) {
    const html = [`<b>${e(L.strengths)}</b>`];
    const plain = [L.strengths];
    for (const s of card.strengths) {
      html.push(`• <b>${e(s.criterion)}</b>: ${e(s.note)}`);
      plain.push(`• ${s.criterion}: ${s.note}`);
      if (s.quote) {
        const turn = s.turn !== null ? ` (#${s.turn})` : "";
        html.push(`  <i>“${e(s.quote)}”</i>${turn}`);
        plain.push(`  “${s.quote}”${turn}`);
      }
    }
    blocks.push(block(html.join("\n"), plain.join("\n")));
  }

  if (card.improvements.length > 0) {
    const html = [`<b>${e(L.improvements)}</b>`];
    const plain = [L.improvements];
    for (const i of card.improvements) {
      html.push(`• <b>${e(i.criterion)}</b>`);
      plain.push(`• ${i.criterion}`);
      if (i.youSaid) {
        const turn = i.turn !== null ? ` (#${i.turn})` : "";
        html.push(`  ${e(L.youSaid)}: <i>“${e(i.youSaid)}”</i>${turn}`);
        plain.push(`  ${L.youSaid}: “${i.youSaid}”${turn}`);
      }
      html.push(`  ${e(L.tryInstead)}: “${e(i.tryInstead)}”`);
      plain.push(`  ${L.tryInstead}: “${i.tryInstead}”`);
    }
    blocks.push(block(html.join("\n"), plain.join("\n")));
  }

  const facts = [
    `${L.outcome}: ${card.outcomeLabel}`,
    `${L.mood}: ${card.moodCurve}`,
    ...(card.factsLine ? [card.factsLine] : []),
    `${L.turns}: ${card.traineeTurns} · ${L.duration}: ${formatDuration(card.durationMs)}`,
  ];
  if (card.droppedQuotes > 0) facts.push(L.droppedQuotes);
  blocks.push(block(facts.map(e).join("\n"), facts.join("\n")));

  if (card.flags.length > 0) {
    blocks.push(
      block(
        [`<b>⚠️ ${e(L.flags)}</b>`, ...card.flags.map((f) => `• ${e(f)}`)].join("\n"),
        [`⚠️ ${L.flags}`, ...card.flags.map((f) => `• ${f}`)].join("\n"),
      ),
    );
  }

  if (card.summary.trim()) blocks.push(block(`<i>${e(card.summary)}</i>`, card.summary));

  return packBlocks(blocks);
}
