// Practice in the terminal: pick a persona, talk, /end, read the evaluation. Works interactively
// and with piped input (each line is one message), so a whole session can be scripted.
import os from "node:os";
import readline from "node:readline";
import type { Language } from "../../domain/persona.ts";
import type { Place, TraineeIdentity } from "../../domain/session.ts";
import { renderCardText } from "../../evaluation/render.ts";
import type { Outbound, PersonaSummary, StartRequest, StartResult } from "../../roleplay/api.ts";
import type { Engine } from "../../roleplay/engine.ts";
import { type CommandHints, roleplayTexts } from "../../roleplay/messages.ts";
import { consoleText } from "./messages.ts";
import { printable } from "./terminal-text.ts";

/** The commands the shared sentences point a console trainee to. */
export const CONSOLE_COMMANDS: CommandHints = {
  start: "npx roleplay console",
  end: "/end",
  personas: "npx roleplay personas list",
};

export interface ConsoleOptions {
  engine: Engine;
  personaId?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The tool's own words. */
  language: Language;
  interactive: boolean;
  /**
   * Asks the judge again for a session whose evaluation is pending; resolves with the outcome
   * (the card itself arrives through the outlet). Without it, the command to finish is printed.
   */
  retryEvaluation?: (sessionId: string) => Promise<string>;
  /** How long to keep retrying a pending evaluation before leaving it to the command (default 30 s). */
  pendingRetryMs?: number;
  /** Who practises (default: the operating-system user). */
  trainee?: TraineeIdentity;
  /**
   * Starts the session instead of engine.start (an assigned customer, its attempt counted): it may
   * choose the persona itself, and refuse with a sentence of its own.
   */
  start?: (req: StartRequest) => Promise<StartResult | { ok: false; text: string }>;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const RETRY_GAP_MS = 3000;

/** Runs one practice session in the terminal. Resolves with the exit code. */
export async function runConsole(opts: ConsoleOptions): Promise<number> {
  const { engine, output } = opts;
  const t = consoleText(opts.language);
  const codes = roleplayTexts(opts.language, CONSOLE_COMMANDS);
  const terminal = opts.interactive && Boolean((output as NodeJS.WriteStream).isTTY);
  let spinnerLine: string | null = null;
  const write = (line = "") => {
    // A line printed while the spinner turns replaces it; the spinner redraws below on its next frame.
    if (spinnerLine !== null) output.write("\r\u001b[K");
    output.write(`${line}\n`);
  };
  const user = os.userInfo().username || "trainee";
  const trainee: TraineeIdentity = opts.trainee ?? {
    platform: "console",
    userId: user,
    displayName: user,
    locale: opts.language,
  };
  const place: Place = { platform: "console", scopeId: null, chatId: "terminal", threadId: null };
  let sessionId: string | null = null;
  let finished = false;
  let pendingId: string | null = null;

  engine.registerOutlet("console", {
    async deliver(event: Outbound) {
      if (sessionId && event.session.id !== sessionId) return undefined;
      switch (event.type) {
        case "typing":
          break;
        case "customer":
          write(`${printable(event.speaker)}: ${printable(event.text)}`);
          break;
        case "notice":
          // The shared sentence promises a later delivery in the chat; the terminal has no chat to
          // deliver to, so it says what it does instead: retry now, then name the command.
          if (event.code === "evaluation_pending") {
            if (pendingId === null) write(`(${t.judgeSlow})`);
            pendingId = event.session.id;
            break;
          }
          write(`(${printable(codes.notice(event.code))})`);
          if (event.code === "evaluation_failed") write(t.judgeGaveUp(event.session.id));
          if (["evaluation_failed", "evaluation_skipped", "evaluation_held"].includes(event.code)) finished = true;
          break;
        case "ended":
          write(`--- ${codes.ended(event.outcome)} ---`);
          break;
        case "evaluation":
          write();
          write(printable(renderCardText(event.card)));
          write();
          write(t.fullReport(event.session.id));
          finished = true;
          break;
      }
      return undefined;
    },
  });

  /** Retries a pending evaluation for a while (a spinner on a terminal), then names the command. */
  async function settlePendingEvaluation(): Promise<void> {
    await engine.idle();
    if (finished || pendingId === null) return;
    const id = pendingId;
    const retry = opts.retryEvaluation;
    const deadline = Date.now() + (opts.pendingRetryMs ?? 30_000);
    let frame = 0;
    const spinner = terminal
      ? setInterval(() => {
          if (spinnerLine !== null) output.write(`\r\u001b[K${SPINNER[frame++ % SPINNER.length]} ${spinnerLine}`);
        }, 100)
      : null;
    try {
      for (let attempt = 2; retry && !finished && Date.now() < deadline; attempt++) {
        spinnerLine = terminal ? t.waiting(attempt) : null;
        const outcome = await retry(id).catch(() => "pending");
        await engine.idle();
        if (finished || (outcome !== "pending" && outcome !== "not_claimed")) break;
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(RETRY_GAP_MS, deadline - Date.now()))));
      }
    } finally {
      if (spinner) clearInterval(spinner);
      if (spinnerLine !== null) output.write("\r\u001b[K");
      spinnerLine = null;
    }
    if (!finished) write(t.finishLater(id));
  }

  // On a terminal, readline echoes what is typed (and allows editing it); piped, it only reads.
  const rl = readline.createInterface({
    input: opts.input,
    ...(terminal ? { output, terminal: true } : { terminal: false }),
  });
  const lines = rl[Symbol.asyncIterator]();
  const nextLine = async (prompt?: string): Promise<string | null> => {
    if (prompt && terminal) {
      rl.setPrompt(prompt);
      rl.prompt();
    }
    const r = await lines.next();
    return r.done ? null : String(r.value);
  };

  try {
    const existing = await engine.activeSession(trainee, place);
    if (existing) {
      sessionId = existing.id;
      let title = existing.personaId;
      try {
        title = (JSON.parse(existing.personaSnapshot) as { title?: string }).title ?? title;
      } catch {
        // keep the id
      }
      write(t.resumed(printable(title)));
      await engine.resume();
      await engine.idle();
    } else {
      let personaId = opts.personaId;
      if (!personaId && !opts.start) {
        const personas = engine.personas();
        if (personas.length === 0) {
          write(t.noPersonas);
          return 1;
        }
        personaId = await choosePersona(personas, write, nextLine, t);
        if (!personaId) return 1;
      }
      const summary = engine.personas().find((p) => p.id === personaId);
      if (summary) {
        write(t.started(printable(summary.title), printable(summary.name)));
        write(t.commands);
      }
      const announce = summary
        ? undefined
        : async (_s: unknown, p: PersonaSummary) => {
            write(t.started(printable(p.title), printable(p.name)));
            write(t.commands);
          };
      const started = await (opts.start ?? engine.start)({
        trainee,
        place,
        personaId,
        ...(announce ? { announce } : {}),
      });
      if (!started.ok) {
        write("text" in started ? started.text : codes.error(started.error.code, started.error.detail));
        return 1;
      }
      sessionId = started.session.id;
      if (await traineeOpens(engine, trainee, place)) write(t.youOpen);
    }

    for (;;) {
      const line = await nextLine(`${t.you}: `);
      if (line === null) {
        await settlePendingEvaluation();
        if (!finished && pendingId === null) write(t.left);
        return 0;
      }
      const said = line.trim();
      if (said === "") continue;
      if (said === "/help") {
        write(t.commands);
        continue;
      }
      if (said === "/quit") {
        write(t.left);
        return 0;
      }
      if (said === "/end") {
        const r = await engine.end(trainee, place);
        if (!r.ok) write(codes.error(r.error.code, r.error.detail));
        await settlePendingEvaluation();
        return 0;
      }
      const r = await engine.message({
        trainee,
        place,
        text: said,
        inboundKey: `console:${sessionId}:${crypto.randomUUID()}`,
      });
      // Piped, nothing echoes the line: show it as it was kept (personal data masked), which is
      // also what the customer and the judge see.
      if (!terminal && r.status === "handled") write(`${t.you}: ${printable(r.text)}`);
      await engine.idle();
      if (r.status === "no_session" || !(await engine.activeSession(trainee, place))) {
        // The customer ended the session (or it timed out): its evaluation follows.
        await settlePendingEvaluation();
        return 0;
      }
    }
  } finally {
    rl.close();
  }
}

async function traineeOpens(engine: Engine, trainee: TraineeIdentity, place: Place): Promise<boolean> {
  const s = await engine.activeSession(trainee, place);
  if (!s) return false;
  const persona = JSON.parse(s.personaSnapshot) as { who_opens?: string };
  return persona.who_opens === "trainee";
}

async function choosePersona(
  personas: PersonaSummary[],
  write: (l?: string) => void,
  nextLine: (prompt?: string) => Promise<string | null>,
  t: ReturnType<typeof consoleText>,
): Promise<string | undefined> {
  personas.forEach((p, i) => {
    write(
      printable(
        `${String(i + 1).padStart(2)}. ${p.title} — ${p.name} [${p.archetype}, ${p.difficulty}, ${p.language}] (${p.id})`,
      ),
    );
  });
  for (;;) {
    const answer = await nextLine(`${t.pick} `);
    if (answer === null) return undefined;
    const v = answer.trim();
    if (v === "") continue;
    const n = Number(v);
    const byNumber = Number.isInteger(n) ? personas[n - 1] : undefined;
    const chosen = byNumber ?? personas.find((p) => p.id === v);
    if (chosen) return chosen.id;
    write(t.invalidPick(printable(v)));
  }
}
