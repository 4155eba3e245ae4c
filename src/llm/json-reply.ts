// Structured replies: the JSON Schema sent in strict mode (or as an instruction in json_object
// mode), and the reply checked locally against the zod schema whatever the provider promised.
import { z } from "zod";
import type { ChatMessage } from "./port.ts";

export type Validation<T> = { ok: true; value: T } | { ok: false; problem: string };

export function validate<T>(content: string, schema: z.ZodType<T>): Validation<T> {
  const text = stripCodeFence(content);
  if (text === "") return { ok: false, problem: "the reply was empty." };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: "the reply was not valid JSON." };
  }
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: `the JSON did not match the schema:\n${z.prettifyError(result.error)}` };
}

/** Some models wrap JSON in a markdown fence even in JSON mode. */
function stripCodeFence(content: string): string {
  const text = content.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(text);
  return fenced?.[1] !== undefined ? fenced[1].trim() : text;
}

export function withJsonInstruction(messages: ChatMessage[], schema: Record<string, unknown>): ChatMessage[] {
  // The word "json" must appear in the prompt for json_object mode (DeepSeek, OpenAI).
  const instruction = `Reply with one json object only, no other text, matching this JSON Schema:\n${JSON.stringify(schema)}`;
  const firstSystem = messages.findIndex((m) => m.role === "system");
  if (firstSystem === -1) return [{ role: "system", content: instruction }, ...messages];
  return messages.map((m, i) => (i === firstSystem ? { ...m, content: `${m.content}\n\n${instruction}` } : m));
}

export function sanitizeSchemaName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  return cleaned === "" ? "reply" : cleaned;
}

/**
 * JSON Schema for OpenAI strict mode: every object lists all its properties as required and
 * forbids others. Optional fields in the core's schemas are also nullable, so "required" costs
 * nothing: the model sends null.
 */
export function strictJsonSchema(schema: z.ZodType<unknown>): Record<string, unknown> {
  const cached = strictSchemas.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  const strict = strictify(json) as Record<string, unknown>;
  strictSchemas.set(schema, strict);
  return strict;
}

const strictSchemas = new WeakMap<z.ZodType<unknown>, Record<string, unknown>>();

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    out[k] = k === "properties" || k === "$defs" || k === "definitions" ? mapValues(v, strictify) : strictify(v);
  }
  // zod writes an integer's safe range as minimum/maximum, keywords some providers reject (and the
  // range says nothing): "integer" alone means the same to a model.
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  // A number literal list (a score scale, a mood) is an integer enum.
  if (out.type === "number" && Array.isArray(out.enum) && out.enum.every(Number.isInteger)) out.type = "integer";
  const isObject = out.type === "object" || (out.properties !== undefined && typeof out.properties === "object");
  if (isObject) {
    const props = (out.properties ?? {}) as Record<string, unknown>;
    out.properties = props;
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

function mapValues(value: unknown, f: (v: unknown) => unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
}
