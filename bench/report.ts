// Section (c) of the bench, in processes of their own so that peak RSS is the report's alone.
//   node --import tsx bench/report.ts seed N FILE   writes N sessions (200 trainees, 3 personas,
//                                                   nine in ten evaluated) into a SQLite file
//   node --import tsx bench/report.ts run FILE      builds the team summary of all of them and
//                                                   renders it as Markdown and CSV (the session
//                                                   sheet streamed to a file beside FILE, as
//                                                   `roleplay report --format csv --out` does)
// Each prints one line: RESULT {json}.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadCatalogue } from "../src/catalogue/index.ts";
import type { Evaluation } from "../src/domain/evaluation.ts";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { renderTraineesCsv, writeSessionsCsv } from "../src/reports/render-csv.ts";
import { renderMarkdown } from "../src/reports/render-md.ts";
import { streamSink } from "../src/reports/sink.ts";
import { buildSummary, sessionRows } from "../src/reports/summary.ts";
import { digestOf } from "../src/store/evaluation-digest.ts";
import { openStore } from "../src/store/index.ts";
import type { SessionsTable } from "../src/store/schema.ts";
import { snapshotKey } from "../src/store/snapshots.ts";

const root = path.resolve(import.meta.dirname, "..");
const FROM = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const BATCH = 400;

function evaluation(sessionId: string, personaId: string, createdAt: number, i: number): Evaluation {
  const score = (c: number) => 1 + ((i * 7 + c * 3) % 5);
  const criteria = ["empathy", "solution", "compliance", "clarity", "closing"].map((id, c) => ({
    criterionId: id,
    name: ["共情与安抚", "解决问题", "合规", "表达清晰", "结束语"][c] ?? id,
    weight: 0.2,
    score: score(c),
    observation: "学员先安抚了客户的情绪，随后解释了假币鉴定的流程，但没有主动说明时限和补偿办法。".repeat(2),
    evidence: [
      { turn: 2, quote: "您先别着急，我们一定会帮您查清楚。" },
      { turn: 4, quote: "按照规定，我们需要先调取监控录像。" },
    ],
    droppedQuotes: 0,
    lowConfidence: false,
    improvement: {
      youSaid: "按照规定",
      turn: 4,
      tryInstead: "为了保障您的资金安全，我们会马上调取录像，今天下班前给您答复。",
    },
  }));
  const total = Math.round(criteria.reduce((a, c) => a + ((c.score - 1) / 4) * 100, 0) / criteria.length);
  return {
    id: `e-${sessionId}`,
    sessionId,
    language: "zh-CN",
    createdAt,
    total,
    passed: total >= 60,
    passMark: 60,
    scale: { min: 1, max: 5 },
    criteria,
    scenarioChecks: [
      { checkId: "explain-process", description: "说明鉴定流程", critical: true, verdict: "yes", note: "说明了" },
    ],
    flags: { taboos: i % 10 === 0 ? ["推诿"] : [], manipulation: [], principleViolations: [] },
    signals: {
      taboo: i % 10 === 0 ? [{ turn: 3, phrase: "这不归我管", group: "deflect", label: "推诿" }] : [],
      empathy: [{ turn: 2, phrase: "别着急" }],
      canDo: [],
      blame: [],
      greeting: true,
      closing: i % 3 !== 0,
      questions: { open: 2, closed: 1 },
      traineeTurns: 6,
      avgTraineeChars: 28,
      longestTraineeChars: 64,
      responseMs: [4000, 5200, 3100, 6000, 2500, 4100],
      moodCurve: [1, 1.5, 2, 2.5, 3],
      manipulation: [],
    },
    summary: "整体表现良好：情绪安抚及时，流程解释清楚；下一次请主动给出处理时限。",
    outcome: "satisfied",
    endReason: "trainee",
    droppedQuotes: 0,
    judgeModel: "judge",
    promptVersion: "v1",
    personaId,
    personaHash: "h",
    rubricId: "bank-service",
    rubricHash: "r",
  };
}

async function seed(n: number, file: string): Promise<void> {
  const t0 = performance.now();
  const store = await openStore(`sqlite:${file}`);
  const catalogue = loadCatalogue({ personasDir: path.join(root, "personas"), promptsDir: path.join(root, "prompts") });
  const personas = catalogue.personas().slice(0, 3);
  const snapshots = personas.map((p) => JSON.stringify(p));
  const rubric = JSON.stringify({ id: "bank-service", criteria: ["共情"] });
  await store.db
    .insertInto("snapshots")
    .values([...snapshots, rubric].map((body) => ({ key: snapshotKey(body), body })))
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const trainees = Array.from({ length: 200 }, (_, i) => ({
    id: `telegram:${1000 + i}`,
    platform: "telegram",
    user_id: String(1000 + i),
    display_name: `学员${i}`,
    language: null,
    created_at: FROM,
  }));
  await store.db.insertInto("trainees").values(trainees).execute();
  for (let start = 0; start < n; start += BATCH) {
    const sessions: SessionsTable[] = [];
    const evaluations: { id: string; session_id: string; created_at: number; body: string; digest: string }[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const p = i % personas.length;
      const persona = personas[p];
      if (!persona) throw new Error("catalogue");
      const id = `s${String(i).padStart(7, "0")}`;
      const startedAt = FROM + Math.floor((i / n) * 60 * DAY);
      const evaluated = i % 10 !== 9;
      sessions.push({
        id,
        trainee_id: trainees[i % trainees.length]?.id ?? "",
        persona_id: persona.id,
        persona_hash: persona.hash,
        persona_snapshot_key: snapshotKey(snapshots[p] ?? ""),
        rubric_id: "bank-service",
        rubric_hash: "r",
        rubric_snapshot_key: snapshotKey(rubric),
        language: "zh-CN",
        platform: "telegram",
        scope_id: i % 2 === 0 ? "-100111" : "-100222",
        chat_id: `chat-${id}`,
        thread_id: null,
        place_key: `telegram:chat-${id}`,
        status: "evaluated",
        mood: 3,
        outcome: "satisfied",
        end_reason: "trainee",
        eval_status: evaluated ? "done" : "failed",
        eval_attempts: 1,
        eval_next_at: null,
        pii_notice_sent: 0,
        started_at: startedAt,
        last_activity_at: startedAt + 600_000,
        ended_at: startedAt + 600_000,
      });
      if (evaluated) {
        const e = evaluation(id, persona.id, startedAt + 700_000, i);
        evaluations.push({
          id: e.id,
          session_id: id,
          created_at: e.createdAt,
          body: JSON.stringify(e),
          digest: JSON.stringify(digestOf(e)),
        });
      }
    }
    await store.db.insertInto("sessions").values(sessions).execute();
    if (evaluations.length > 0) await store.db.insertInto("evaluations").values(evaluations).execute();
  }
  await store.close();
  process.stdout.write(`RESULT ${JSON.stringify({ seedSeconds: (performance.now() - t0) / 1000 })}\n`);
}

async function run(file: string): Promise<void> {
  const t0 = performance.now();
  const store = await openStore(`sqlite:${file}`);
  const summary = await buildSummary(store, {
    from: FROM,
    to: FROM + 90 * DAY,
    now: FROM + 90 * DAY,
    timeZone: "Asia/Shanghai",
  });
  const markdown = renderMarkdown(summary, "zh-CN");
  const csvFile = `${file}.sessions.csv`;
  const csv = createWriteStream(csvFile);
  await writeSessionsCsv(summary, sessionRows(store, summary), "zh-CN", streamSink(csv));
  csv.end();
  await finished(csv);
  const traineesCsv = renderTraineesCsv(summary, "zh-CN");
  const reportSeconds = (performance.now() - t0) / 1000;
  await store.close();
  process.stdout.write(
    `RESULT ${JSON.stringify({
      reportSeconds,
      // User + system CPU of the whole process: on a busy machine it says more than the wall time.
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      sessions: summary.totals.started,
      bytes: markdown.length + csv.bytesWritten + traineesCsv.length,
    })}\n`,
  );
}

const [mode, a, b] = process.argv.slice(2);
if (mode === "seed") await seed(Number(a), b ?? "");
else if (mode === "run") await run(a ?? "");
else throw new Error("usage: report.ts seed N FILE | run FILE");
