// `personas check` for a folder or for one file: a trainer who just edited one persona wants its
// problems only, but judged with everything around it (its rubric, the ids of the others).
import fs from "node:fs";
import path from "node:path";
import { loadCatalogue } from "./catalogue.ts";
import type { Problem } from "./load.ts";

export type CheckOutcome =
  | { found: false; path: string }
  | { found: true; problems: Problem[]; personas: number; rubrics: number };

export function checkCatalogue(options: {
  /** A folder of personas, one persona file, or one rubric file (in a `rubrics` folder); null: the configured folders. */
  target: string | null;
  personasDir: string;
  promptsDir: string;
}): CheckOutcome {
  const target = options.target === null ? null : path.resolve(options.target);
  if (target !== null && !fs.existsSync(target)) return { found: false, path: target };
  if (target === null || fs.statSync(target).isDirectory()) {
    const catalogue = loadCatalogue({ personasDir: target ?? options.personasDir, promptsDir: options.promptsDir });
    return {
      found: true,
      problems: catalogue.problems(),
      personas: catalogue.personas().length,
      rubrics: catalogue.rubrics().length,
    };
  }
  const folder = path.dirname(target);
  const name = path.basename(target);
  if (path.basename(folder) === "rubrics") {
    const catalogue = loadCatalogue({ personasDir: options.personasDir, promptsDir: path.dirname(folder) });
    const file = path.join("rubrics", name);
    return {
      found: true,
      problems: catalogue.problems().filter((p) => p.file === file),
      personas: 0,
      rubrics: catalogue.rubrics().filter((r) => r.file === name).length,
    };
  }
  const catalogue = loadCatalogue({ personasDir: folder, promptsDir: options.promptsDir });
  return {
    found: true,
    problems: catalogue.problems().filter((p) => p.file === name),
    personas: catalogue.personas().filter((p) => p.file === name).length,
    rubrics: 0,
  };
}
