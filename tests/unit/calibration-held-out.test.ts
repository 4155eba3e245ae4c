// The held-out calibration set was written before, and without sight of, the detectors' patterns,
// so it can measure them honestly. This test guards its shape (how many pairs, languages and
// taboo families it covers), not the detectors: the per-family separation is measured by the
// detector tests over the same files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TABOO_FAMILIES, type TabooFamily, TranscriptFile } from "../../src/domain/transcript.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const heldOut = join(root, "tests/fixtures/calibration-held-out");

function read(file: string): TranscriptFile {
  return TranscriptFile.parse(parse(readFileSync(file, "utf8")));
}

const pairIds = readdirSync(join(heldOut, "pairs"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const singleFiles = readdirSync(join(heldOut, "singles"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("the held-out calibration set", () => {
  it("every pair has a poor and a better handling of the same situation, in one language", () => {
    for (const id of pairIds) {
      for (const which of ["poor", "better"]) {
        expect(existsSync(join(heldOut, "pairs", id, `${which}.yaml`)), `${id}/${which}.yaml`).toBe(true);
      }
      const poor = read(join(heldOut, "pairs", id, "poor.yaml"));
      const better = read(join(heldOut, "pairs", id, "better.yaml"));
      expect(poor.language, id).toBeDefined();
      expect(better.language, id).toBe(poor.language);
      expect(better.variety, id).toBe(poor.variety);
      expect(poor.turns[0], `${id}: both open with the same customer line`).toEqual(better.turns[0]);
    }
  });

  it("has at least 60 pairs: 40 in Chinese (some traditional and Cantonese) and 20 in English", () => {
    const languages = pairIds.map((id) => read(join(heldOut, "pairs", id, "poor.yaml")));
    expect(languages.filter((t) => t.language === "zh-CN").length).toBeGreaterThanOrEqual(40);
    expect(languages.filter((t) => t.language === "en").length).toBeGreaterThanOrEqual(20);
    expect(languages.filter((t) => t.variety === "traditional").length).toBeGreaterThanOrEqual(3);
    expect(languages.filter((t) => t.variety === "cantonese").length).toBeGreaterThanOrEqual(3);
  });

  it("each poor handling names the taboo families it commits; each better one commits none", () => {
    for (const id of pairIds) {
      const poor = read(join(heldOut, "pairs", id, "poor.yaml"));
      const better = read(join(heldOut, "pairs", id, "better.yaml"));
      expect(poor.taboo_families?.length, `${id}/poor.yaml taboo_families`).toBeGreaterThanOrEqual(1);
      expect(better.taboo_families, `${id}/better.yaml taboo_families`).toEqual([]);
    }
  });

  it("covers every taboo family at least four times", () => {
    const count = new Map<TabooFamily, number>(TABOO_FAMILIES.map((f) => [f, 0]));
    for (const id of pairIds) {
      for (const f of read(join(heldOut, "pairs", id, "poor.yaml")).taboo_families ?? []) {
        count.set(f, (count.get(f) ?? 0) + 1);
      }
    }
    for (const [family, n] of count) expect(n, family).toBeGreaterThanOrEqual(4);
  });

  it("a dialogue where staff contradict each other has a second staff speaker", () => {
    for (const id of pairIds) {
      const poor = read(join(heldOut, "pairs", id, "poor.yaml"));
      if (!poor.taboo_families?.includes("contradicting-colleague")) continue;
      expect(
        poor.turns.some((t) => "colleague" in t),
        `${id}/poor.yaml`,
      ).toBe(true);
    }
  });

  it("has at least 30 single good handlings, none committing a taboo", () => {
    expect(singleFiles.length).toBeGreaterThanOrEqual(30);
    for (const f of singleFiles) {
      const t = read(join(heldOut, "singles", f));
      expect(t.taboo_families, f).toEqual([]);
      expect(
        t.turns.some((x) => "trainee" in x),
        f,
      ).toBe(true);
    }
  });
});
