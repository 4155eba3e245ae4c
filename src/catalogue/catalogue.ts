// The catalogue: every persona and rubric, validated, with cross-file checks (duplicate ids, a
// persona's rubric in its language), live reload, and the last good version of a broken file.
import fs from "node:fs";
import path from "node:path";
import type { Difficulty, Language, Persona } from "../domain/persona.ts";
import type { Rubric } from "../domain/rubric.ts";
import { listYamlFiles, loadPersonaFile, loadRubricFile, type Problem, problemAt } from "./load.ts";
import { say } from "./messages.ts";
import { closest } from "./schema-issues.ts";

export interface CatalogueOptions {
  personasDir: string;
  /** The prompts folder; rubrics are read from its `rubrics/` subfolder. */
  promptsDir: string;
  /** Called with the problems of each reload that found any (for logging). */
  onProblems?: (problems: Problem[], kept: string[]) => void;
  onReload?: () => void;
}

export interface Catalogue {
  personas(): Persona[];
  persona(id: string): Persona | undefined;
  rubric(id: string, language: Language): Rubric | undefined;
  rubrics(): Rubric[];
  /** Problems found in the last load (including files whose last good version is kept). */
  problems(): Problem[];
  /** Files that failed in the last load but whose previous good version is still in use. */
  keptVersions(): string[];
  /** Reads a prompt template file from the prompts folder. */
  template(name: string): string;
  pick(
    filter: { language?: Language; archetype?: string; difficulty?: Difficulty },
    random?: () => number,
  ): Persona | undefined;
  reload(): void;
  /** Watches both folders; saved changes apply to new sessions. Returns a stop function. */
  watch(): () => void;
}

export function loadCatalogue(options: CatalogueOptions): Catalogue {
  const rubricsDir = path.join(options.promptsDir, "rubrics");
  let personas = new Map<string, Persona>();
  let rubrics = new Map<string, Rubric>();
  let problems: Problem[] = [];
  let kept: string[] = [];
  // The last good value per file, so a broken edit keeps the previous version live.
  const lastGoodPersona = new Map<string, Persona>();
  const lastGoodRubric = new Map<string, Rubric>();

  function reload(): void {
    const found: Problem[] = [];
    const keptNow: string[] = [];

    const nextRubrics = new Map<string, Rubric>();
    const rubricFiles = new Map<string, string>();
    const rubricNames = listYamlFiles(rubricsDir);
    for (const name of rubricNames) {
      const r = loadRubricFile(rubricsDir, name);
      found.push(...r.problems.map((p) => ({ ...p, file: path.join("rubrics", p.file) })));
      let value = r.value;
      if (!value && lastGoodRubric.has(name)) {
        value = lastGoodRubric.get(name) ?? null;
        keptNow.push(path.join("rubrics", name));
      }
      if (!value) continue;
      if (r.value) lastGoodRubric.set(name, r.value);
      const key = rubricKey(value.id, value.language);
      const other = rubricFiles.get(key);
      if (other) {
        found.push(
          problemAt(
            path.join("rubrics", name),
            "rubric",
            1,
            "id",
            say("rubricDuplicate", value.id, value.language, `rubrics/${other}`),
          ),
        );
        continue;
      }
      rubricFiles.set(key, name);
      nextRubrics.set(key, value);
    }
    for (const name of [...lastGoodRubric.keys()]) if (!rubricNames.includes(name)) lastGoodRubric.delete(name);

    const nextPersonas = new Map<string, Persona>();
    const personaFiles = new Map<string, string>();
    const personaNames = listYamlFiles(options.personasDir);
    for (const name of personaNames) {
      const r = loadPersonaFile(options.personasDir, name);
      found.push(...r.problems);
      let value = r.value;
      if (value && !nextRubrics.has(rubricKey(value.rubric, value.language))) {
        const otherLangs = [...nextRubrics.values()].filter((x) => x.id === value?.rubric).map((x) => x.language);
        found.push(
          problemAt(
            name,
            "persona",
            null,
            "rubric",
            otherLangs.length > 0
              ? say("rubricOnlyIn", value.rubric, otherLangs, value.language)
              : say("rubricMissing", value.rubric),
          ),
        );
        value = null;
      }
      if (!value && lastGoodPersona.has(name)) {
        value = lastGoodPersona.get(name) ?? null;
        keptNow.push(name);
      }
      if (!value) continue;
      if (r.value && r.problems.length === 0) lastGoodPersona.set(name, value);
      const other = personaFiles.get(value.id);
      if (other) {
        found.push(problemAt(name, "persona", 1, "id", say("personaDuplicate", value.id, other)));
        continue;
      }
      personaFiles.set(value.id, name);
      nextPersonas.set(value.id, value);
    }
    for (const name of [...lastGoodPersona.keys()]) if (!personaNames.includes(name)) lastGoodPersona.delete(name);
    for (const slip of archetypeSlips(nextPersonas, options.personasDir)) {
      found.push(slip.problem);
      nextPersonas.delete(slip.id);
    }

    personas = nextPersonas;
    rubrics = nextRubrics;
    problems = found;
    kept = keptNow;
    if (found.length > 0) options.onProblems?.(found, keptNow);
    options.onReload?.();
  }

  reload();

  return {
    personas: () => [...personas.values()],
    persona: (id) => personas.get(id),
    rubric: (id, language) => rubrics.get(rubricKey(id, language)),
    rubrics: () => [...rubrics.values()],
    problems: () => problems,
    keptVersions: () => kept,
    template: (name) => fs.readFileSync(path.join(options.promptsDir, name), "utf8"),
    pick(filter, random = Math.random) {
      const all = [...personas.values()].filter(
        (p) =>
          (!filter.language || p.language === filter.language) &&
          (!filter.archetype || p.archetype === filter.archetype) &&
          (!filter.difficulty || p.difficulty === filter.difficulty),
      );
      return all[Math.floor(random() * all.length)];
    },
    reload,
    watch() {
      let timer: NodeJS.Timeout | null = null;
      const schedule = () => {
        if (timer) clearTimeout(timer);
        // Editors write a file in several steps: wait for the burst to settle.
        timer = setTimeout(() => {
          timer = null;
          try {
            reload();
          } catch {
            // A folder removed while reloading: keep what we have; the next change reloads.
          }
        }, 150);
      };
      const watchers: fs.FSWatcher[] = [];
      for (const dir of [options.personasDir, rubricsDir, options.promptsDir]) {
        if (!fs.existsSync(dir)) continue;
        try {
          watchers.push(fs.watch(dir, schedule));
        } catch {
          // Watching is a convenience; without it, a restart picks up changes.
        }
      }
      return () => {
        if (timer) clearTimeout(timer);
        for (const w of watchers) w.close();
      };
    },
  };
}

/**
 * Archetypes are the trainers' own words, so a misspelling of one of theirs is not caught by the
 * per-file check against the shipped list: an archetype only one persona uses, a letter or two away
 * from one that at least two others use, is taken for a slip.
 */
function archetypeSlips(personas: Map<string, Persona>, dir: string): Array<{ id: string; problem: Problem }> {
  const uses = new Map<string, number>();
  for (const p of personas.values()) uses.set(p.archetype, (uses.get(p.archetype) ?? 0) + 1);
  const established = [...uses].filter(([, n]) => n >= 2).map(([a]) => a);
  const slips: Array<{ id: string; problem: Problem }> = [];
  for (const p of personas.values()) {
    if (uses.get(p.archetype) !== 1) continue;
    const meant = closest(p.archetype, established);
    if (!meant) continue;
    slips.push({
      id: p.id,
      problem: problemAt(
        p.file,
        "persona",
        lineOfKey(path.join(dir, p.file), "archetype"),
        "archetype",
        say("archetypeTypo", p.archetype, meant),
      ),
    });
  }
  return slips;
}

function lineOfKey(file: string, key: string): number | null {
  try {
    const index = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.startsWith(`${key}:`));
    return index === -1 ? null : index + 1;
  } catch {
    return null;
  }
}

function rubricKey(id: string, language: Language): string {
  return `${id}\u0000${language}`;
}
