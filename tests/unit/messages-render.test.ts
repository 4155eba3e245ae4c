// Every message of every table, rendered with sample values in both languages: nothing is left
// unfilled, a number stays inside its sentence in both languages, and English counts agree in number.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type MessageTable, messageTables } from "../../src/i18n/index.ts";

const src = path.resolve(import.meta.dirname, "../../src");

function messageModules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return messageModules(full);
    return e.isFile() && e.name.endsWith(".ts") && fs.readFileSync(full, "utf8").includes("defineMessages(")
      ? [full]
      : [];
  });
}

let tables: readonly MessageTable[] = [];
beforeAll(async () => {
  for (const file of messageModules(src)) await import(file);
  tables = messageTables();
});

// biome-ignore lint/suspicious/noExplicitAny: messages take any parameter shape
type AnyMessage = (...args: any[]) => unknown;

/** Renders a message with distinct samples: numbers first, then text, then lists (what it accepts). */
function render(message: AnyMessage, count: number): { text: string; samples: string[] } | null {
  const tries = [
    Array.from({ length: message.length }, (_, i) => count + i),
    Array.from({ length: message.length }, (_, i) => `S${i + 1}x`),
    Array.from({ length: message.length }, (_, i) => [`S${i + 1}x`]),
  ];
  for (const args of tries) {
    try {
      const out = message(...args);
      if (typeof out === "string") return { text: out, samples: args.map((a) => String(a)) };
    } catch {
      // try the next kind of sample
    }
  }
  // One object of named values: each field read gets a number-like sample of its own.
  const read: string[] = [];
  const fields = new Proxy({} as Record<string, unknown>, {
    get: (_t, prop) => {
      if (typeof prop !== "string") return undefined;
      const value = count * 10 + read.length;
      read.push(String(value));
      return value;
    },
  });
  try {
    const out = message(fields);
    if (typeof out === "string") return { text: out, samples: read };
  } catch {
    // not an object of values either
  }
  return null;
}

function eachFunctionMessage(visit: (key: string, en: AnyMessage, zh: AnyMessage) => void): number {
  let n = 0;
  for (const table of tables) {
    for (const [key, en] of Object.entries(table.en)) {
      const zh = table["zh-CN"][key];
      if (typeof en !== "function" || typeof zh !== "function") continue;
      n++;
      visit(key, en, zh);
    }
  }
  return n;
}

/** Values one language shows on purpose and the other not (why, for each). */
const ONE_LANGUAGE_ONLY = new Set([
  // English says "Your practice session was deleted" for one; Chinese always gives the count.
  "forgetDone",
  // Chinese shows the permission's Chinese name with the English one Discord displays.
  "permission",
]);

describe("every message with values", () => {
  it("renders in both languages with every value filled in, and the same values shown in each", () => {
    const problems: string[] = [];
    let rendered = 0;
    eachFunctionMessage((key, en, zh) => {
      for (const count of [1, 7]) {
        const e = render(en, count);
        const z = render(zh, count);
        // A message whose values need a particular shape (a list of problems, a mapping) is left
        // to its own tests; the count below keeps this one from passing on nothing.
        if (!e || !z) continue;
        rendered++;
        for (const [language, r] of [
          ["en", e],
          ["zh-CN", z],
        ] as const) {
          if (/undefined|NaN|\[object Object\]/.test(r.text)) problems.push(`${key} (${language}): ${r.text}`);
        }
        // A value one language shows and the other drops is a sentence that lost its number.
        const shown = (r: { text: string }, s: string) => new RegExp(`(^|[^0-9])${s}([^0-9]|$)`).test(r.text);
        for (const s of ONE_LANGUAGE_ONLY.has(key) ? [] : e.samples) {
          if (shown(e, s) !== shown(z, s)) problems.push(`${key}: value ${s} shown in one language only`);
        }
      }
    });
    expect(rendered).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it("English counts agree in number: no 'file(s)', no '1 files'", () => {
    const problems: string[] = [];
    eachFunctionMessage((key, en) => {
      for (const count of [1, 7]) {
        const text = render(en, count)?.text ?? "";
        if (/\w\(s\)/.test(text)) problems.push(`${key}: ${text}`);
        const one = /(?:^|[^\d.])1 (?!of\b)([a-z]+s)\b/.exec(text);
        if (
          count === 1 &&
          one &&
          !["is", "was", "has", "does", "needs", "takes", "looks", "seems", "ms"].includes(one[1] as string)
        ) {
          problems.push(`${key}: ${text}`);
        }
      }
    });
    expect(problems).toEqual([]);
  });

  it("Chinese: a count stands before its measure word, never after the sentence", () => {
    const problems: string[] = [];
    eachFunctionMessage((key, _en, zh) => {
      const text = render(zh, 7)?.text ?? "";
      // A sentence that opens on a measure word has lost its number ("条评委引用的原话…: 8").
      if (/(^|[。，；！？\n])\s*(条|位|项|份|次|轮|个(?!人))/.test(text)) problems.push(`${key}: ${text}`);
      // A count after a closing bracket and a colon, at the very end, trails the sentence.
      if (/[）)]\s*[:：]\s*\d+$/.test(text)) problems.push(`${key}: ${text}`);
    });
    expect(problems).toEqual([]);
  });
});
