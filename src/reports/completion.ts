// Completion per assignment in the manager's report: who is done, passed, failed, overdue. Read
// when the summary is built (open assignments, and those closed during the period, for the
// report's places) and rendered as a section of the Markdown, HTML and JSON and a CSV sheet.
import { createAssignmentService, type ProgressRow } from "../assignments/service.ts";
import { assignmentMessages } from "../assignments/messages.ts";
import { statusCounts } from "../assignments/present.ts";
import type { Assignment, ProgressStatus } from "../domain/assignment.ts";
import type { Language } from "../domain/persona.ts";
import { defineMessages } from "../i18n/index.ts";
import { assignmentStoreFor } from "../store/assignments.ts";
import type { Store } from "../store/port.ts";
import type { ReportScope } from "./summary.ts";

export interface AssignmentCompletion {
  assignment: Assignment;
  counts: Record<ProgressStatus, number>;
  trainees: ProgressRow[];
}

const text = defineMessages({
  en: {
    section: "Assignments",
    none: "No assignments for this report.",
    headers: (): string[] => ["assignment", "customers", "due", "mode", "trainee", "name", "status", "best", "latest"],
  },
  "zh-CN": {
    section: "练习任务完成情况",
    none: "本报告范围内没有任务。",
    headers: (): string[] => ["任务", "客户", "截止日", "模式", "学员", "姓名", "状态", "最高分", "最近得分"],
  },
});

/** Whether an assignment belongs in a report of these places (null: every place). */
function inScope(a: Assignment, scopes: ReportScope[] | null): boolean {
  if (scopes === null) return true;
  return a.targets.some(
    (t) => t.kind !== "trainee" && scopes.some((s) => s.platform === t.platform && s.scopeId === t.scopeId),
  );
}

/** Open assignments and those closed since `from`, with each trainee's progress at `now`. */
export async function assignmentCompletion(
  store: Store,
  options: { scopes: ReportScope[] | null; from: number; now: number; timeZone: string },
): Promise<AssignmentCompletion[]> {
  let assignments: ReturnType<typeof assignmentStoreFor>;
  try {
    assignments = assignmentStoreFor(store);
  } catch {
    return []; // a store without the assignments tables (a test double): nothing to report
  }
  const service = createAssignmentService({
    assignments,
    store,
    engine: {
      personas: () => [],
      start: async () => {
        throw new Error("reports start nothing");
      },
    },
    now: () => options.now,
    timeZone: options.timeZone,
  });
  const all = await service.list({ includeClosed: true });
  const out: AssignmentCompletion[] = [];
  for (const a of all) {
    if (a.closedAt !== null && a.closedAt < options.from) continue;
    if (!inScope(a, options.scopes)) continue;
    const trainees = await service.progress(a);
    out.push({ assignment: a, counts: statusCounts(trainees), trainees });
  }
  return out.sort((x, y) => x.assignment.dueAt - y.assignment.dueAt || x.assignment.id.localeCompare(y.assignment.id));
}

function modeText(a: Assignment, language: Language): string {
  return assignmentMessages(language).mode(a.mode, a.maxAttempts);
}

const score = (n: number | null) => (n === null ? "" : n.toFixed(1));

/** The Markdown section (empty when there are no assignments). */
export function completionMarkdown(list: AssignmentCompletion[] | undefined, language: Language): string[] {
  if (!list || list.length === 0) return [];
  const m = assignmentMessages(language);
  const out = [`## ${text(language).section}`, ""];
  for (const c of list) {
    const a = c.assignment;
    out.push(`### ${a.id} · ${a.personaIds.join(", ")} · ${m.due(a.dueDay)} · ${modeText(a, language)}`, "");
    const k = c.counts;
    out.push(m.counts(c.trainees.length, k.passed, k.failed, k.in_progress, k.not_started, k.overdue), "");
    for (const r of c.trainees) {
      out.push(
        `- ${r.displayName ?? r.traineeId} (${r.traineeId}): ${m.status(r.status)}, ${m.score(r.best, r.latest)}`,
      );
    }
    out.push("");
  }
  return out;
}

/** The HTML section; `escape` is the report's HTML escaping. */
export function completionHtml(
  list: AssignmentCompletion[] | undefined,
  language: Language,
  escape: (s: string) => string,
): string {
  if (!list || list.length === 0) return "";
  const m = assignmentMessages(language);
  const h = text(language).headers();
  const parts = [`<h2>${escape(text(language).section)}</h2>`];
  for (const c of list) {
    const a = c.assignment;
    const k = c.counts;
    parts.push(
      `<h3>${escape(`${a.id} · ${a.personaIds.join(", ")} · ${m.due(a.dueDay)} · ${modeText(a, language)}`)}</h3>`,
      `<p>${escape(m.counts(c.trainees.length, k.passed, k.failed, k.in_progress, k.not_started, k.overdue))}</p>`,
    );
    if (c.trainees.length === 0) continue;
    const rows = c.trainees
      .map(
        (r) =>
          `<tr><td>${escape(r.displayName ?? r.traineeId)}</td><td>${escape(m.status(r.status))}</td><td class="num">${escape(score(r.best))}</td><td class="num">${escape(score(r.latest))}</td></tr>`,
      )
      .join("");
    parts.push(
      `<div class="table"><table><thead><tr><th>${escape(h[5] ?? "")}</th><th>${escape(h[6] ?? "")}</th><th class="num">${escape(h[7] ?? "")}</th><th class="num">${escape(h[8] ?? "")}</th></tr></thead><tbody>${rows}</tbody></table></div>`,
    );
  }
  return parts.join("\n");
}

/** The JSON form (report schemaVersion 2): one entry per assignment. */
export function completionJson(list: AssignmentCompletion[] | undefined, iso: (ms: number) => string) {
  return (list ?? []).map((c) => ({
    id: c.assignment.id,
    personaIds: c.assignment.personaIds,
    dueDay: c.assignment.dueDay,
    dueAt: iso(c.assignment.dueAt),
    mode: c.assignment.mode,
    maxAttempts: c.assignment.maxAttempts,
    passMark: c.assignment.passMark,
    closedAt: c.assignment.closedAt === null ? null : iso(c.assignment.closedAt),
    releasedAt: c.assignment.releasedAt === null ? null : iso(c.assignment.releasedAt),
    completion: c.counts,
    trainees: c.trainees.map((r) => ({
      traineeId: r.traineeId,
      displayName: r.displayName,
      status: r.status,
      best: r.best === null ? null : Math.round(r.best * 100) / 100,
      latest: r.latest === null ? null : Math.round(r.latest * 100) / 100,
    })),
  }));
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The assignments sheet: one row per assignment and trainee (UTF-8 with BOM, like the others). */
export function renderAssignmentsCsv(list: AssignmentCompletion[] | undefined, language: Language): string {
  const m = assignmentMessages(language);
  const lines = [text(language).headers().map(csvCell).join(",")];
  for (const c of list ?? []) {
    const a = c.assignment;
    for (const r of c.trainees) {
      lines.push(
        [
          a.id,
          a.personaIds.join(" "),
          a.dueDay,
          a.mode,
          r.traineeId,
          r.displayName ?? "",
          m.status(r.status),
          score(r.best),
          score(r.latest),
        ]
          .map(csvCell)
          .join(","),
      );
    }
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Where the assignments sheet goes beside the session sheet (`report.csv` → `report-assignments.csv`). */
export function assignmentsCsvPath(sessionsPath: string): string {
  const m = /^(.*?)(\.csv)?$/i.exec(sessionsPath);
  return `${m?.[1] ?? sessionsPath}-assignments${m?.[2] ?? ".csv"}`;
}
