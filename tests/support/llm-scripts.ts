// Responders for the fake LLM server that play both roles of a session: the customer (a reply
// whose text depends on what the trainee said) and the judge (a judgement shaped by the rubric in
// the request, quoting a line the trainee really said).
import type { FakeReply, FakeRequestBody } from "./fake-llm.ts";
import { lastUserText, schemaNameOf } from "./fake-llm.ts";
import { judgeReply } from "./judge-reply.ts";

export interface RoleplayScriptOptions {
  /** The customer's text for a trainee line (default: an echo that proves the turn was seen). */
  customer?: (traineeText: string, call: number) => string;
  /** Score given to every criterion (default 3). */
  score?: number;
}

/** Criterion ids as the judge prompt lists them (`criterion_id "..."`). */
function criterionIds(body: FakeRequestBody): string[] {
  const text: string = (body?.messages ?? []).map((m: { content?: string }) => m.content ?? "").join("\n");
  const ids = new Set<string>();
  for (const m of text.matchAll(/criterion_id "([a-z0-9_-]+)"/g)) if (m[1]) ids.add(m[1]);
  return [...ids];
}

function joined(body: FakeRequestBody): string {
  return (body?.messages ?? []).map((m: { content?: string }) => m.content ?? "").join("\n");
}

function traineeLines(body: FakeRequestBody): Array<{ turn: number; text: string }> {
  const text: string = (body?.messages ?? []).map((m: { content?: string }) => m.content ?? "").join("\n");
  const out: Array<{ turn: number; text: string }> = [];
  for (const m of text.matchAll(/^\[turn (\d+)\] trainee: (.+)$/gm)) {
    if (m[1] && m[2]) out.push({ turn: Number(m[1]), text: m[2].trim() });
  }
  return out;
}

export function roleplayResponder(options: RoleplayScriptOptions = {}) {
  let customerCalls = 0;
  return (body: FakeRequestBody): FakeReply => {
    const schema = schemaNameOf(body);
    if (schema === "customer_reply") {
      customerCalls++;
      const said = lastUserText(body).replace(/^\[staff-[0-9a-f]+\]\s*/gm, "");
      // The engine shows a reply only in the persona's language, so the echo speaks it too.
      const english = /Speak only English/.test(body?.messages?.[0]?.content ?? "");
      const echo = english ? `(customer) I heard: ${said.slice(0, 40)}` : `（客户）听到了：${said.slice(0, 40)}`;
      const text = options.customer ? options.customer(said, customerCalls) : echo;
      return {
        json: { text, mood: 1, trigger_id: null, outcome: "continue", revealed_fact_ids: [], reason: "scripted" },
      };
    }
    if (schema === "evaluation") {
      const lines = traineeLines(body);
      const quote = lines[0];
      const ids = criterionIds(body);
      return {
        json: judgeReply({
          criteria: ids.map((id) => ({
            criterion_id: id,
            observation: "scripted observation",
            evidence: quote ? [{ turn: quote.turn, quote: quote.text.slice(0, 12) }] : [],
            score: options.score ?? 3,
            better_phrasing: {
              you_said: quote?.text.slice(0, 12) ?? null,
              turn: quote?.turn ?? null,
              try_instead: "先回应客户的情绪，再说明下一步。",
            },
          })),
          scenario_checks: [...joined(body).matchAll(/check_id "([a-z0-9_-]+)"/g)].map((m) => ({
            check_id: m[1] as string,
            verdict: "yes",
            note: "scripted",
          })),
          flags: { taboos: [], manipulation: [], principle_violations: [] },
          summary: "scripted summary",
        }),
      };
    }
    // `roleplay llm check` asks for a tiny structured answer: a provider that supports json_schema.
    if (schema === "check") return { json: { ok: true } };
    return { status: 400, body: { error: { message: `unexpected schema ${schema}` } } };
  };
}
