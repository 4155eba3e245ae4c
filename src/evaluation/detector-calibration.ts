// How well the detectors read a calibration set: whether every pair is separated (poor: a taboo
// hit; better: none, and an empathy hit), whether the single good dialogues stay clean, and per
// taboo family the hits, misses and false positives against the families each file is labelled with.
import type { Signals } from "../domain/evaluation.ts";

export interface DetectorCalibrationItem {
  /** The file, relative to the calibration folder, with "/" separators. */
  file: string;
  /** The families the trainer says the staff commit here; null when the file does not say. */
  tabooFamilies: readonly string[] | null;
  signals: Pick<Signals, "taboo" | "empathy">;
}

export interface DetectorFamilyRow {
  family: string;
  /** Dialogues labelled with the family. */
  labelled: number;
  /** Of those, the ones where the family's detector fired. */
  hits: number;
  misses: number;
  /** Labelled dialogues where the detector fired though the family is not in the label. */
  falsePositives: number;
  /** Of those, in dialogues labelled clean (better and single good ones). */
  falsePositivesClean: number;
}

export interface DetectorCalibration {
  pairs: { total: number; separated: number; notSeparated: string[] };
  better: { total: number; withEmpathy: number; withTaboo: number };
  singles: { total: number; clean: number; withTaboo: string[] };
  families: DetectorFamilyRow[];
}

type Role = "poor" | "better" | "single";

function roleOf(file: string): { role: Role; pair: string } {
  const slash = file.lastIndexOf("/");
  const name = file.slice(slash + 1);
  const pair = slash < 0 ? "" : file.slice(0, slash);
  if (/^poor\.ya?ml$/i.test(name)) return { role: "poor", pair };
  if (/^better\.ya?ml$/i.test(name)) return { role: "better", pair };
  return { role: "single", pair: file };
}

export function detectorCalibration(items: readonly DetectorCalibrationItem[]): DetectorCalibration {
  const byPair = new Map<string, { poor?: DetectorCalibrationItem; better?: DetectorCalibrationItem }>();
  const singles = { total: 0, clean: 0, withTaboo: [] as string[] };
  const better = { total: 0, withEmpathy: 0, withTaboo: 0 };
  const rows = new Map<string, DetectorFamilyRow>();
  const row = (family: string) => {
    let r = rows.get(family);
    if (!r) {
      r = { family, labelled: 0, hits: 0, misses: 0, falsePositives: 0, falsePositivesClean: 0 };
      rows.set(family, r);
    }
    return r;
  };
  for (const item of items) {
    const { role, pair } = roleOf(item.file);
    const found = new Set(item.signals.taboo.map((h) => h.group ?? h.phrase));
    if (role === "single") {
      singles.total++;
      if (found.size === 0) singles.clean++;
      else singles.withTaboo.push(item.file);
    } else {
      const p = byPair.get(pair) ?? {};
      p[role] = item;
      byPair.set(pair, p);
    }
    if (role === "better") {
      better.total++;
      if (item.signals.empathy.length > 0) better.withEmpathy++;
      if (found.size > 0) better.withTaboo++;
    }
    if (item.tabooFamilies === null) continue;
    for (const family of item.tabooFamilies) {
      const r = row(family);
      r.labelled++;
      if (found.has(family)) r.hits++;
      else r.misses++;
    }
    for (const family of found) {
      if (item.tabooFamilies.includes(family)) continue;
      const r = row(family);
      r.falsePositives++;
      if (item.tabooFamilies.length === 0) r.falsePositivesClean++;
    }
  }
  const pairs = { total: 0, separated: 0, notSeparated: [] as string[] };
  for (const [pair, p] of [...byPair].sort(([a], [b]) => a.localeCompare(b))) {
    if (!p.poor || !p.better) continue;
    pairs.total++;
    const ok =
      p.poor.signals.taboo.length > 0 && p.better.signals.taboo.length === 0 && p.better.signals.empathy.length > 0;
    if (ok) pairs.separated++;
    else pairs.notSeparated.push(pair);
  }
  return {
    pairs,
    better,
    singles,
    families: [...rows.values()].sort((a, b) => a.family.localeCompare(b.family)),
  };
}
