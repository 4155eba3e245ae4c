// The detectors' half of `roleplay evaluate --calibrate DIR`: every dialogue of the folder read
// with the detectors (no model), and the per-family table beside the judge's agreement.
import type { Catalogue } from "../catalogue/index.ts";
import type { TranscriptFile } from "../domain/transcript.ts";
import { type DetectorCalibration, detectorCalibration } from "../evaluation/index.ts";
import { detectorMessages } from "../evaluation/detectors/index.ts";
import type { Language } from "../i18n/index.ts";
import { readSignals } from "./evaluate-signals.ts";

/** Reads each dialogue with its persona's rubric, or the default one of its language. */
export function calibrateDetectors(
  files: ReadonlyArray<{ file: string; transcript: TranscriptFile }>,
  catalogue: Catalogue,
  ui: Language,
): DetectorCalibration {
  const items = files.flatMap(({ file, transcript }) => {
    const persona = transcript.persona ? (catalogue.persona(transcript.persona) ?? null) : null;
    const reading = readSignals(transcript, persona, catalogue, ui);
    if (!reading.ok) return [];
    return [{ file, tabooFamilies: transcript.taboo_families ?? null, signals: reading.value.signals }];
  });
  return detectorCalibration(items);
}

export function detectorCalibrationMarkdown(d: DetectorCalibration, language: Language): string {
  const m = detectorMessages(language);
  const names = m.family as Record<string, string>;
  const lines = [`## ${m.tableTitle}`, ""];
  if (d.pairs.total > 0) lines.push(`- ${m.tablePairs(d.pairs.separated, d.pairs.total)}`);
  if (d.better.total > 0) lines.push(`- ${m.tableBetter(d.better.withEmpathy, d.better.total, d.better.withTaboo)}`);
  if (d.singles.total > 0) lines.push(`- ${m.tableSingles(d.singles.clean, d.singles.total)}`);
  if (d.pairs.notSeparated.length > 0) lines.push(`- ${m.tableNotSeparated(d.pairs.notSeparated.join(", "))}`);
  if (d.singles.withTaboo.length > 0) lines.push(`- ${m.tableSinglesWithTaboo(d.singles.withTaboo.join(", "))}`);
  lines.push("");
  if (d.families.length === 0) {
    lines.push(m.tableNoLabels);
    return lines.join("\n");
  }
  lines.push(m.tableHeader, "|---|---:|---:|---:|---:|---:|");
  for (const r of d.families) {
    const name = names[r.family] ? `${names[r.family]} (\`${r.family}\`)` : `\`${r.family}\``;
    lines.push(
      `| ${name} | ${r.labelled} | ${r.hits} | ${r.misses} | ${r.falsePositives} | ${r.falsePositivesClean} |`,
    );
  }
  return lines.join("\n");
}
