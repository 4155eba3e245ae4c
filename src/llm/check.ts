// `roleplay llm check`: is each configured model reachable, known to the provider, and able to
// give structured output in the configured mode? Answers with facts, not a stack trace.
import type { Language } from "../i18n/index.ts";
import { llmFault } from "./faults.ts";
import { llmCheckMessages } from "./messages.ts";
import { hostOf } from "./network.ts";
import { type LlmRoleSettings, type LlmSettings, openAiClient } from "./openai.ts";
import type { LlmRole } from "./port.ts";

export type LlmCheckProblem = "unreachable" | "timeout" | "auth" | "model_not_found" | "http" | "no_structured_output";

export interface LlmRoleCheck {
  role: LlmRole;
  model: string;
  /** Host of the base URL (never credentials or query). */
  host: string;
  reachable: boolean;
  /** true: listed by GET /models or a call succeeded; false: the provider said it does not exist. */
  modelFound: boolean | null;
  /** Whether the provider accepted a strict json_schema request; null: not determined. */
  jsonSchema: boolean | null;
  /** Tested when json_schema fails or json_object is the configured mode. */
  jsonObject: boolean | null;
  /** Round trip of the structured test request (or of the model list when that was all we got). */
  latencyMs: number | null;
  problem: LlmCheckProblem | null;
  /** A short technical text for the operator; the API key is masked out. */
  error: string | null;
  ok: boolean;
}

export interface LlmCheckReport {
  structuredOutput: LlmSettings["structuredOutput"];
  roles: LlmRoleCheck[];
  ok: boolean;
}

export interface LlmCheckOptions {
  fetch?: typeof fetch;
  now?: () => number;
}

export async function checkLlm(settings: LlmSettings, options: LlmCheckOptions = {}): Promise<LlmCheckReport> {
  const roles: LlmRoleCheck[] = [];
  for (const role of ["customer", "judge"] as const) {
    roles.push(await checkRole(role, settings[role], settings, options));
  }
  return { structuredOutput: settings.structuredOutput, roles, ok: roles.every((r) => r.ok) };
}

type Probe = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; err: unknown };

async function checkRole(
  role: LlmRole,
  roleSettings: LlmRoleSettings,
  settings: LlmSettings,
  options: LlmCheckOptions,
): Promise<LlmRoleCheck> {
  const now = options.now ?? Date.now;
  const host = hostOf(roleSettings.baseUrl);
  const client = openAiClient(roleSettings, settings.timeoutMs, options.fetch);
  const result: LlmRoleCheck = {
    role,
    model: roleSettings.model,
    host,
    reachable: false,
    modelFound: null,
    jsonSchema: null,
    jsonObject: null,
    latencyMs: null,
    problem: null,
    error: null,
    ok: false,
  };
  const describe = (err: unknown) => describeError(err, roleSettings.apiKey, host, settings.timeoutMs);

  const timed = async (run: (signal: AbortSignal) => Promise<unknown>): Promise<Probe> => {
    const started = now();
    try {
      await run(AbortSignal.timeout(settings.timeoutMs));
      return { ok: true, latencyMs: now() - started };
    } catch (err) {
      return { ok: false, latencyMs: now() - started, err };
    }
  };

  // Not every compatible server lists models (or all of them): a missing entry is only a hint.
  let listed: boolean | null = null;
  const list = await timed(async (signal) => {
    const page = await client.models.list({ signal });
    listed = page.data.some((m) => m.id === roleSettings.model);
  });
  if (!list.ok) {
    const d = describe(list.err);
    if (d.problem === "unreachable" || d.problem === "timeout") {
      return { ...result, problem: d.problem, error: d.text, latencyMs: list.latencyMs };
    }
  }
  result.reachable = true;
  if (listed === true) result.modelFound = true;

  const chat = (format: "json_schema" | "json_object") =>
    timed((signal) =>
      client.chat.completions.create(
        {
          model: roleSettings.model,
          messages: [
            { role: "system", content: 'This is a connectivity check. Reply with the json object {"ok": true}.' },
            { role: "user", content: "ok?" },
          ],
          ...(roleSettings.temperature === null ? {} : { temperature: roleSettings.temperature }),
          response_format:
            format === "json_schema"
              ? {
                  type: "json_schema",
                  json_schema: {
                    name: "check",
                    strict: true,
                    schema: {
                      type: "object",
                      properties: { ok: { type: "boolean" } },
                      required: ["ok"],
                      additionalProperties: false,
                    },
                  },
                }
              : { type: "json_object" },
        },
        { signal },
      ),
    );

  const strict = await chat("json_schema");
  result.latencyMs = strict.ok ? strict.latencyMs : list.ok ? list.latencyMs : strict.latencyMs;
  if (strict.ok) {
    result.modelFound = true;
    result.jsonSchema = true;
  } else {
    const d = describe(strict.err);
    if (d.rejectsResponseFormat) result.jsonSchema = false;
    else {
      result.problem = d.problem;
      result.error = d.text;
      if (d.problem === "model_not_found") result.modelFound = false;
      if (d.problem === "unreachable" || d.problem === "timeout") result.reachable = false;
    }
  }

  if (result.problem === null && (result.jsonSchema === false || settings.structuredOutput === "json_object")) {
    const loose = await chat("json_object");
    if (loose.ok) {
      result.jsonObject = true;
      result.modelFound = true;
      if (!strict.ok) result.latencyMs = loose.latencyMs;
    } else {
      const d = describe(loose.err);
      result.jsonObject = d.rejectsResponseFormat ? false : null;
      result.problem = d.rejectsResponseFormat ? "no_structured_output" : d.problem;
      result.error = d.text;
      if (d.problem === "model_not_found") result.modelFound = false;
    }
  }

  const modeWorks =
    settings.structuredOutput === "json_schema" ? result.jsonSchema === true : result.jsonObject === true;
  result.ok = result.reachable && result.modelFound !== false && result.problem === null && modeWorks;
  return result;
}

interface Described {
  problem: LlmCheckProblem;
  text: string;
  rejectsResponseFormat: boolean;
}

function describeError(err: unknown, apiKey: string, host: string, timeoutMs: number): Described {
  const fault = llmFault(err);
  switch (fault.kind) {
    case "timeout":
    case "cancelled":
      // The check aborts only on its own timeout.
      return {
        problem: "timeout",
        text: `no answer from ${host} within ${timeoutMs} ms`,
        rejectsResponseFormat: false,
      };
    case "http": {
      const { status, error } = fault;
      const body = error.error as { message?: unknown } | undefined;
      const said = typeof body?.message === "string" ? body.message : "";
      const text = mask(`HTTP ${status} from ${host}${said ? `: ${said}` : ""}`, apiKey);
      const mentionsFormat = /response_format|json_schema|structured/i.test(`${said} ${error.param ?? ""}`);
      if (status === 401 || status === 403) return { problem: "auth", text, rejectsResponseFormat: false };
      if (status === 404 || fault.code === "model_not_found")
        return { problem: "model_not_found", text, rejectsResponseFormat: false };
      return { problem: "http", text, rejectsResponseFormat: (status === 400 || status === 422) && mentionsFormat };
    }
    case "network":
      return {
        problem: "unreachable",
        text: `cannot reach ${host}${fault.code ? ` (${fault.code})` : ""}`,
        rejectsResponseFormat: false,
      };
    case "unusable":
      return { problem: "http", text: `unusable response from ${host}`, rejectsResponseFormat: false };
  }
}

/** Providers sometimes echo (part of) the key in their error text. */
function mask(text: string, apiKey: string): string {
  let out = apiKey.length >= 4 ? text.split(apiKey).join("***") : text;
  out = out.replace(/\b(sk|pk|key)-[A-Za-z0-9_*-]{6,}/g, "$1-***");
  return out.length > 240 ? `${out.slice(0, 237)}...` : out;
}

export function formatLlmCheck(report: LlmCheckReport, language: Language): string {
  const m = llmCheckMessages(language);
  const lines = [m.title(report.structuredOutput)];
  for (const r of report.roles) {
    const facts = [r.reachable ? m.reachable : m.unreachable];
    if (r.reachable) {
      facts.push(r.modelFound === true ? m.modelFound : r.modelFound === false ? m.modelMissing : m.modelUnknown);
      facts.push(
        r.jsonSchema === true ? m.jsonSchemaYes : r.jsonSchema === false ? m.jsonSchemaNo : m.jsonSchemaUnknown,
      );
      if (r.jsonObject !== null) facts.push(r.jsonObject ? m.jsonObjectYes : m.jsonObjectNo);
    }
    if (r.latencyMs !== null) facts.push(m.latency(Math.round(r.latencyMs)));
    lines.push(`${r.ok ? "✓" : "✗"} ${m.role(r.role, r.model, r.host)}: ${facts.join(", ")}`);
    if (r.error) lines.push(`  ${m.error(r.error)}`);
    if (report.structuredOutput === "json_schema" && r.jsonSchema === false && r.jsonObject === true) {
      lines.push(`  ${m.hintJsonObject}`);
    }
    const prefix = r.role === "customer" ? "CUSTOMER" : "JUDGE";
    if (r.problem === "auth") lines.push(`  ${m.hintAuth(prefix)}`);
    if (r.problem === "model_not_found" || r.modelFound === false) lines.push(`  ${m.hintModel(prefix)}`);
    if (r.problem === "unreachable" || r.problem === "timeout") lines.push(`  ${m.hintUnreachable(prefix)}`);
  }
  lines.push(report.ok ? m.ok : m.failed);
  return lines.join("\n");
}
