// A quick "is anybody there" for the configured model endpoints, before a session can start:
// one GET /models per distinct base URL, with a short timeout. Any HTTP answer but 401/403 counts
// as reachable (some compatible servers do not implement /models); no answer at all does not.
import { connectionFault, networkCode } from "./network.ts";

export interface ProbeFailure {
  baseUrl: string;
  /** "unreachable" (no connection, DNS, timeout) or "auth" (401/403: the key was refused). */
  kind: "unreachable" | "auth";
  detail: string;
}

export async function probeEndpoints(
  endpoints: Array<{ baseUrl: string; apiKey: string }>,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<ProbeFailure[]> {
  const doFetch = options.fetch ?? fetch;
  const seen = new Map<string, string>();
  for (const e of endpoints) if (!seen.has(e.baseUrl)) seen.set(e.baseUrl, e.apiKey);
  const failures: ProbeFailure[] = [];
  await Promise.all(
    [...seen].map(async ([baseUrl, apiKey]) => {
      try {
        const res = await doFetch(`${baseUrl.replace(/\/+$/, "")}/models`, {
          headers: { authorization: `Bearer ${apiKey || "unused"}` },
          signal: AbortSignal.timeout(options.timeoutMs ?? 8000),
        });
        await res.body?.cancel().catch(() => {});
        if (res.status === 401 || res.status === 403) {
          failures.push({ baseUrl, kind: "auth", detail: `HTTP ${res.status}` });
        }
      } catch (e) {
        // fetch wraps the reason: "fetch failed" with a cause holding the code or a message.
        const cause = (e as { cause?: { message?: string } }).cause;
        const fault = connectionFault(e);
        failures.push({
          baseUrl,
          kind: "unreachable",
          detail:
            fault?.kind === "timeout" ? "no answer in time" : (networkCode(e) ?? cause?.message ?? "connection failed"),
        });
      }
    }),
  );
  return failures;
}
