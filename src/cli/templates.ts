// The prompt templates trainers may edit, checked before anything runs with them.
import fs from "node:fs";
import path from "node:path";

/**
 * Problems of the two prompt templates trainers may edit: a missing file, the judge's section
 * markers, unknown or missing placeholders. Sessions cannot run with a broken template.
 */
export async function templateProblems(promptsDir: string): Promise<string[]> {
  const out: string[] = [];
  const read = (name: string): string | null => {
    try {
      return fs.readFileSync(path.join(promptsDir, name), "utf8");
    } catch {
      out.push(
        `${name}: the file is missing from ${promptsDir}. Restore it from the project (git checkout -- prompts/${name}).`,
      );
      return null;
    }
  };
  const customer = read("customer.md");
  if (customer !== null) {
    const { customerTemplateProblems } = await import("../roleplay/customer.ts");
    for (const p of customerTemplateProblems(customer)) out.push(`customer.md: ${p}`);
  }
  const judge = read("judge.md");
  if (judge !== null) {
    const { parseJudgeTemplate } = await import("../evaluation/judge.ts");
    try {
      const t = parseJudgeTemplate(judge);
      for (const key of ["rubric", "begin", "end", "transcript"]) {
        if (!`${t.system}\n${t.user}`.includes(`{{${key}}}`))
          out.push(`judge.md: the placeholder {{${key}}} is missing`);
      }
    } catch (e) {
      out.push(e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}
