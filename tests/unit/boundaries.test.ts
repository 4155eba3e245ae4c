// The layers hold: chat-platform libraries only in src/platforms/; the core (src/roleplay,
// src/evaluation, src/catalogue, src/domain) imports no platform, model or database library and no
// adapter, only the ports; every error descends from the one root and none is told apart by its
// name string. Imports are read with a real parser (vite's parseAst), type-only ones included:
// a type from an adapter couples the core to it as much as a value does.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseAst } from "vite";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.isFile() && d.name.endsWith(".ts") ? [full] : [];
  });
}

const shown = (file: string) => relative(ROOT, file).split(sep).join("/");

/** Every module a file imports or re-exports, statically or with import(). */
function importsOf(code: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const n = node as { type?: string; source?: { value?: unknown } | null };
    if (
      (n.type === "ImportDeclaration" ||
        n.type === "ExportNamedDeclaration" ||
        n.type === "ExportAllDeclaration" ||
        n.type === "ImportExpression") &&
      typeof n.source?.value === "string"
    ) {
      found.push(n.source.value);
    }
    for (const [key, value] of Object.entries(n)) if (key !== "type") visit(value);
  };
  visit(parseAst(code, { lang: "ts" }));
  return found;
}

const PLATFORM_LIBRARIES = /^(grammy|@grammyjs\/|discord\.js|@discordjs\/|discord-api-types)/;
const MODEL_AND_DATABASE_LIBRARIES = /^(openai|better-sqlite3|pg|kysely)(\/|$)/;
const CORE = ["src/roleplay/", "src/evaluation/", "src/catalogue/", "src/domain/"];
/** What the core may not reach into: adapters and the outer layers; the ports are the way in. */
const ADAPTERS = ["src/platforms/", "src/llm/", "src/store/", "src/cli/", "src/cli.ts", "src/app.ts", "src/reports/"];
const PORTS = ["src/llm/port.ts", "src/store/port.ts"];

const files = () =>
  sourceFiles(SRC).map((f) => ({ file: shown(f), full: f, imports: importsOf(readFileSync(f, "utf8")) }));

describe("layer boundaries", () => {
  it("only src/platforms/ imports a chat-platform library", () => {
    const stray = files()
      .filter((f) => !f.file.startsWith("src/platforms/"))
      .flatMap((f) => f.imports.filter((i) => PLATFORM_LIBRARIES.test(i)).map((i) => `${f.file} imports ${i}`));
    expect(stray).toEqual([]);
  });

  it("the core imports no platform, model or database library and no adapter, only ports", () => {
    const stray = files()
      .filter((f) => CORE.some((c) => f.file.startsWith(c)))
      .flatMap((f) =>
        f.imports.flatMap((i) => {
          if (PLATFORM_LIBRARIES.test(i) || MODEL_AND_DATABASE_LIBRARIES.test(i)) return [`${f.file} imports ${i}`];
          if (!i.startsWith(".")) return [];
          const target = shown(resolve(dirname(f.full), i));
          if (PORTS.includes(target)) return [];
          return ADAPTERS.some((a) => target === a || target.startsWith(a)) ? [`${f.file} imports ${target}`] : [];
        }),
      );
    expect(stray).toEqual([]);
  });

  it("the check sees static, type-only, re-exported and dynamic imports", () => {
    const code = [
      'import { Bot } from "grammy";',
      'import type { Client } from "discord.js";',
      'export { x } from "../store/kysely.ts";',
      'export * from "pg";',
      'const m = await import("openai");',
    ].join("\n");
    expect(importsOf(code)).toEqual(["grammy", "discord.js", "../store/kysely.ts", "pg", "openai"]);
  });
});

describe("one error root", () => {
  it("no class extends Error directly except RoleplayError", () => {
    const direct = sourceFiles(SRC)
      .filter((f) => shown(f) !== "src/errors/index.ts")
      .flatMap((f) =>
        [...readFileSync(f, "utf8").matchAll(/class\s+(\w+)(?:<[^>]*>)?\s+extends\s+Error\b/g)].map(
          (m) => `${shown(f)}: ${m[1]}`,
        ),
      );
    expect(direct, "extend RoleplayError (src/errors/index.ts) instead").toEqual([]);
  });

  it("errors are told apart by class or code, never by their name string", () => {
    // Our own classes have instanceof and codes; a platform's DOMException has only its name.
    const ours = new Set(
      sourceFiles(SRC).flatMap((f) =>
        [...readFileSync(f, "utf8").matchAll(/class\s+(\w+)[^{]*\bextends\s+\w+/g)].map((m) => m[1]),
      ),
    );
    const byName = sourceFiles(SRC).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/\.name\s*[!=]==?\s*["'`](\w+)["'`]/g)]
        .filter((m) => ours.has(m[1]))
        .map((m) => `${shown(f)}: ${m[1]}`),
    );
    expect(ours.has("RoleplayError") && ours.has("DatabaseOpenError")).toBe(true);
    expect(byName).toEqual([]);
  });
});
