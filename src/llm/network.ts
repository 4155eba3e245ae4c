// Small facts about endpoints and connection failures, shared by the adapter, `llm check`, the start
// probe and the command line. No SDK import here, so the CLI can use it without loading openai.

/** The host[:port] of a base URL: never the userinfo part (a key) or the query string. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return "the configured endpoint";
  }
}

/** The system error code (ECONNREFUSED, ENOTFOUND...) somewhere in the cause chain, if any. */
export function networkCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The SDK-free half of the LLM boundary's classifier (llm/faults.ts has the rest; the start probe
 * uses this half alone): fetch's own timeout, or a connection that failed. Null for anything else.
 */
export function connectionFault(err: unknown): { kind: "timeout" } | { kind: "network"; code: string | null } | null {
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError: it has no class of its own.
  if (err instanceof DOMException && err.name === "TimeoutError") return { kind: "timeout" };
  if (err instanceof TypeError && /fetch failed|network/i.test(err.message)) {
    return { kind: "network", code: networkCode(err) };
  }
  return null;
}
