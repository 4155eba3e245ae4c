// Builds a session engine for tests in one line: the test catalogue (or the shipped one), an
// in-memory SQLite store, a given LLM, and an outlet that records everything delivered.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Catalogue, loadCatalogue } from "../../src/catalogue/index.ts";
import type { Outbound } from "../../src/roleplay/api.ts";
import { createEngine, type Engine, type EngineDeps } from "../../src/roleplay/engine.ts";
import type { LlmPort } from "../../src/llm/port.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import type { Place, TraineeIdentity } from "../../src/domain/session.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** A copy of the test persona and rubric in a temp folder, plus the real customer template. */
export function testCatalogue(): { catalogue: Catalogue; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-cat-"));
  fs.mkdirSync(path.join(dir, "personas"));
  fs.mkdirSync(path.join(dir, "prompts", "rubrics"), { recursive: true });
  fs.copyFileSync(path.join(root, "tests/fixtures/catalogue/persona.yaml"), path.join(dir, "personas/test-angry.yaml"));
  fs.copyFileSync(
    path.join(root, "tests/fixtures/catalogue/rubric.yaml"),
    path.join(dir, "prompts/rubrics/default.zh-CN.yaml"),
  );
  fs.copyFileSync(path.join(root, "prompts/customer.md"), path.join(dir, "prompts/customer.md"));
  return {
    catalogue: loadCatalogue({ personasDir: path.join(dir, "personas"), promptsDir: path.join(dir, "prompts") }),
    dir,
  };
}

export interface EngineFixture {
  engine: Engine;
  store: Store;
  events: Outbound[];
  catalogue: Catalogue;
  trainee: TraineeIdentity;
  place: Place;
  /** Customer texts delivered so far. */
  customerLines(): string[];
}

export async function engineFixture(
  llm: LlmPort,
  options: { store?: Store; catalogue?: Catalogue; deps?: Partial<EngineDeps> } = {},
): Promise<EngineFixture> {
  const store = options.store ?? (await openStore("sqlite::memory:"));
  const catalogue = options.catalogue ?? testCatalogue().catalogue;
  const events: Outbound[] = [];
  let nextId = 1;
  const engine = createEngine({
    store,
    llm,
    catalogue,
    defaultLanguage: "zh-CN",
    idleMs: 30 * 60_000,
    random: () => 0,
    ...options.deps,
  });
  engine.registerOutlet("console", {
    async deliver(event) {
      events.push(event);
      return { messageId: String(nextId++) };
    },
  });
  return {
    engine,
    store,
    events,
    catalogue,
    trainee: { platform: "console", userId: "u1", displayName: "小李" },
    place: { platform: "console", scopeId: null, chatId: "local", threadId: null },
    customerLines: () => events.flatMap((e) => (e.type === "customer" ? [e.text] : [])),
  };
}

/** A customer reply as the model would send it. */
export function reply(
  text: string,
  mood: number,
  extra: Partial<{ trigger_id: string | null; trigger_quote: string | null; outcome: string; reason: string }> = {},
) {
  return {
    text,
    mood,
    trigger_id: null,
    trigger_quote: null,
    outcome: "continue",
    revealed_fact_ids: [],
    reason: "test",
    ...extra,
  };
}
