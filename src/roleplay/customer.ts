// The simulated customer: its prompt (a static prefix that is byte-identical on every turn of a
// session, then the conversation), its structured reply, and the rules that keep it from calming
// down without a reason the persona names.
import { LANGUAGE_NAMES_FOR_MODEL } from "../i18n/languages.ts";
import { createHash } from "node:crypto";
import { z } from "zod";
import { MOOD_MAX, MOOD_MIN, moodBounds, type PersonaFile } from "../domain/persona.ts";
import type { Outcome, Turn } from "../domain/session.ts";
import type { ChatMessage } from "../llm/port.ts";

export const CUSTOMER_SCHEMA_NAME = "customer_reply";

const MOODS = Array.from({ length: MOOD_MAX - MOOD_MIN + 1 }, (_, i) => MOOD_MIN + i) as [number, ...number[]];

// Shaped for strict structured outputs: every field required, nullable instead of optional, and
// no length or range keywords (some providers reject them): the mood is an enum, and an empty text
// is refused by a refinement the JSON Schema does not carry. The JSON schema sent lists
// trigger_quote as required too; a model that leaves it out is still read, as citing nothing: its
// mood stays where it was.
export const CustomerReply = z.object({
  text: z.string().refine((s) => s.trim().length > 0, "the reply text is empty"),
  mood: z.literal(MOODS),
  trigger_id: z.string().nullable(),
  /** The trainee's own words that fired the trigger or the ending, copied from their message. */
  trigger_quote: z.string().nullable().optional(),
  outcome: z.enum(["continue", "satisfied", "walked_out", "supervisor"]),
  revealed_fact_ids: z.array(z.string()),
  reason: z.string(),
});
export type CustomerReply = z.infer<typeof CustomerReply>;

const CHANNELS: Record<string, { where: string; style: string }> = {
  phone: {
    where: "a phone call to the bank's hotline",
    style: "on the phone: spoken, informal, sometimes incomplete sentences",
  },
  branch: {
    where: "face to face at a bank branch counter or lobby",
    style: "face to face at the counter: spoken, direct",
  },
  online_chat: { where: "the bank's online chat", style: "in an online chat: typed, brief, sometimes no punctuation" },
};

/** A per-session marker for the trainee's lines: stable within a session, unknown to the trainee. */
export function staffMarker(sessionId: string): string {
  return `staff-${createHash("sha256").update(`marker:${sessionId}`).digest("hex").slice(0, 6)}`;
}

/** The placeholders prompts/customer.md may use; the first four must be there. */
export const CUSTOMER_PLACEHOLDERS = [
  "name",
  "situation",
  "language_name",
  "marker",
  "identity",
  "speech",
  "channel",
  "channel_style",
  "wants",
  "facts",
  "mood_start",
  "escalation",
  "deescalation",
  "max_step",
  "patience",
  "sample_lines",
  "satisfied_at",
  "walk_out_at",
  "ending_satisfied",
  "ending_walks_out",
  "ending_supervisor",
  "hard_limits",
] as const;
const REQUIRED_PLACEHOLDERS = CUSTOMER_PLACEHOLDERS.slice(0, 4);

/** What is wrong with an edited customer template: unknown placeholders (typos) and missing ones. */
export function customerTemplateProblems(template: string): string[] {
  const text = template.replace(/<!--[\s\S]*?-->/g, "");
  const used = new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? ""));
  const known = new Set<string>(CUSTOMER_PLACEHOLDERS);
  const problems = [...used].filter((u) => !known.has(u)).map((u) => `unknown placeholder {{${u}}} (a typo?)`);
  for (const r of REQUIRED_PLACEHOLDERS) if (!used.has(r)) problems.push(`the placeholder {{${r}}} is missing`);
  return problems;
}

/** Fills the customer template from the persona. The result depends only on its inputs. */
export function buildCustomerSystemPrompt(template: string, persona: PersonaFile, marker: string): string {
  const { satisfiedAt, walkOutAt, maxStep } = moodBounds(persona);
  const channel = CHANNELS[persona.channel] ?? { where: persona.channel, style: "" };
  const identity = [
    persona.identity.background,
    persona.identity.age !== undefined ? `Age: ${persona.identity.age}` : null,
    persona.identity.occupation ? `Occupation: ${persona.identity.occupation}` : null,
  ]
    .filter(Boolean)
    .join("\n");
  const list = (items: string[]) => (items.length > 0 ? items.map((s) => `- ${s}`).join("\n") : "- (none)");
  const sampleLines = Object.entries(persona.sample_lines)
    .filter(([, lines]) => lines && lines.length > 0)
    .map(([mood, lines]) => `Mood ${mood}: ${(lines ?? []).map((l) => `“${l}”`).join(" / ")}`)
    .join("\n");
  const values: Record<(typeof CUSTOMER_PLACEHOLDERS)[number], string> = {
    name: persona.name,
    identity,
    speech: persona.identity.speech,
    channel: channel.where,
    channel_style: channel.style,
    situation: persona.situation.trim(),
    wants: persona.wants.trim(),
    facts: list(persona.facts.map((f) => `[${f.id}] ${f.fact.trim()} (say it when: ${f.reveal_when.trim()})`)),
    mood_start: String(persona.emotion.mood_start),
    escalation: list(persona.emotion.escalation.map((t) => `[${t.id}] ${t.description.trim()}`)),
    deescalation: list(persona.emotion.deescalation.map((t) => `[${t.id}] ${t.description.trim()}`)),
    max_step: String(maxStep),
    patience: String(persona.emotion.patience),
    sample_lines: sampleLines || "(none given: stay consistent with who you are)",
    satisfied_at: String(satisfiedAt),
    walk_out_at: String(walkOutAt),
    ending_satisfied: persona.endings.satisfied.trim(),
    ending_walks_out: persona.endings.walks_out?.trim() ?? "you have had enough and leave.",
    ending_supervisor: persona.endings.supervisor?.trim() ?? "you insist on speaking to someone in charge.",
    language_name: LANGUAGE_NAMES_FOR_MODEL[persona.language],
    hard_limits: persona.hard_limits.map((h) => `- ${h.trim()}`).join("\n"),
    marker,
  };
  const withoutComments = template.replace(/<!--[\s\S]*?-->\s*/g, "");
  return withoutComments
    .replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (values as Record<string, string>)[key] ?? whole)
    .trim();
}

/**
 * The messages for one customer call: the static system prompt first, then the conversation in
 * order, then a short state note. Only the last message varies between calls with the same
 * history, so the prefix stays cacheable.
 */
/**
 * The transcript as the customer lived it: each reply right after the last turn it had seen when
 * it was written (Turn.answersThrough), even when messages sent while it was "typing" were stored
 * before it. In seq order, those messages would sit before a reply that never saw them, merged
 * with the message it did answer, and the model would read that reply as answering them all.
 */
export function inConversationOrder<T extends Pick<Turn, "speaker" | "seq" | "answersThrough">>(turns: T[]): T[] {
  const at = (t: T) =>
    t.speaker === "customer" && t.answersThrough !== undefined && t.answersThrough !== null && t.answersThrough < t.seq
      ? t.answersThrough + 0.5
      : t.seq;
  return turns.slice().sort((a, b) => at(a) - at(b));
}

export function buildCustomerMessages(
  systemPrompt: string,
  marker: string,
  turns: Pick<Turn, "speaker" | "text">[],
  state: { mood: number; traineeTurns: number; maxTurns: number; unproductive: number; unanswered?: number },
): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: "system", content: systemPrompt }];
  for (const t of turns) {
    if (t.speaker === "system") continue;
    if (t.speaker === "customer") {
      messages.push({ role: "assistant", content: t.text });
      continue;
    }
    const line = `[${marker}] ${t.text}`;
    const prev = messages[messages.length - 1];
    // Messages sent in a burst while the customer was "typing" are read together.
    if (prev && prev.role === "user") prev.content += `\n${line}`;
    else messages.push({ role: "user", content: line });
  }
  const remaining = Math.max(0, state.maxTurns - state.traineeTurns);
  messages.push({
    role: "system",
    content: `(State, not part of the conversation: your mood is ${state.mood}; replies without progress so far: ${state.unproductive}; the staff member has about ${remaining} more messages. ${
      (state.unanswered ?? 1) > 1
        ? `They sent ${state.unanswered} messages you have not answered yet (some while you were replying): answer them together`
        : "Reply to their latest message"
    } as JSON.)`,
  });
  return messages;
}

export interface AppliedReply {
  text: string;
  mood: number;
  triggerId: string | null;
  outcome: Outcome;
  /** Whether the engine overrode the model (for the private log only). */
  adjusted: string[];
}

/** What the engine found in the trainee's words this reply answers. */
export interface ReplyEvidence {
  /** The model's trigger_quote is found in those messages. */
  cited: boolean;
  /** One of those messages is an attempt to steer the customer or the judge. */
  steering: boolean;
}

/**
 * Applies the persona's emotional model to the model's proposal: the mood moves only through a
 * named trigger of the right direction whose words the trainee really wrote, by at most the
 * trigger's and the persona's step; an ending is accepted only when the mood allows it and, unless
 * patience ran out, the trainee's words are cited. A steering attempt never calms the customer.
 */
export function applyMoodRules(
  persona: PersonaFile,
  previousMood: number,
  reply: CustomerReply,
  unproductiveTurns: number,
  evidence: ReplyEvidence,
): AppliedReply {
  const { satisfiedAt, walkOutAt, maxStep } = moodBounds(persona);
  const adjusted: string[] = [];
  let mood = previousMood;
  let triggerId: string | null = null;
  const delta = reply.mood - previousMood;
  if (delta !== 0) {
    const pool = delta > 0 ? persona.emotion.deescalation : persona.emotion.escalation;
    const trigger = pool.find((t) => t.id === reply.trigger_id);
    if (trigger && evidence.cited && !(delta > 0 && evidence.steering)) {
      const step = Math.min(Math.abs(delta), trigger.step ?? maxStep, maxStep);
      mood = previousMood + Math.sign(delta) * step;
      triggerId = trigger.id;
      if (step !== Math.abs(delta)) adjusted.push(`mood step limited to ${step}`);
    } else if (delta < 0 && unproductiveTurns >= persona.emotion.patience) {
      // Running out of patience is a reason the persona names (its `patience`).
      mood = previousMood - 1;
      triggerId = "patience";
    } else if (trigger && delta > 0 && evidence.steering) {
      adjusted.push(`mood change ${previousMood}->${reply.mood} ignored: the message tries to steer the customer`);
    } else if (trigger) {
      adjusted.push(`mood change ${previousMood}->${reply.mood} ignored: the cited words are not the trainee's`);
    } else {
      adjusted.push(
        `mood change ${previousMood}->${reply.mood} without a named ${delta > 0 ? "de-escalation" : "escalation"} trigger ignored`,
      );
    }
  } else if (reply.trigger_id && evidence.cited) {
    const known = [...persona.emotion.escalation, ...persona.emotion.deescalation].some(
      (t) => t.id === reply.trigger_id,
    );
    if (known) triggerId = reply.trigger_id;
  }
  mood = Math.max(MOOD_MIN, Math.min(MOOD_MAX, mood));

  let outcome: Outcome = reply.outcome;
  if (outcome === "satisfied") {
    if (mood < satisfiedAt) {
      adjusted.push(`satisfied refused at mood ${mood} (needs ${satisfiedAt})`);
      outcome = "continue";
    } else if (evidence.steering || !evidence.cited) {
      adjusted.push(
        `satisfied refused: ${evidence.steering ? "the message tries to steer the customer" : "no words of the trainee cited"}`,
      );
      outcome = "continue";
    }
  }
  if (outcome === "walked_out" || outcome === "supervisor") {
    // Leaving needs a reason the persona names too: this reply's escalation trigger (cited) at a
    // low enough mood, or patience used up. An upset opening mood alone is not a reason to leave.
    const escalatedNow = triggerId !== null && persona.emotion.escalation.some((t) => t.id === triggerId);
    const allowed = unproductiveTurns >= persona.emotion.patience || (mood <= walkOutAt && escalatedNow);
    if (!allowed) {
      adjusted.push(`${outcome} refused at mood ${mood} without a cited escalation trigger or exhausted patience`);
      outcome = "continue";
    }
  }
  return { text: reply.text.trim(), mood, triggerId, outcome, adjusted };
}

/** Counts the trainee's latest turns that did not calm the customer (for `patience`). */
export function unproductiveTurns(turns: Pick<Turn, "speaker" | "triggerId" | "mood">[], persona: PersonaFile): number {
  const calming = new Set(persona.emotion.deescalation.map((t) => t.id));
  let n = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (t?.speaker !== "customer") continue;
    if (t.triggerId && calming.has(t.triggerId)) break;
    n++;
  }
  return n;
}
