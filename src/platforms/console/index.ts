// Practice in the terminal: pick a persona, talk, /end, read the evaluation. Works interactively
// and with piped input (each line is one message), so a whole session can be scripted.
import os from "node:os";
import readline from "node:readline";
import type { Language } from "../../domain/persona.ts";
import type { Place, TraineeIdentity } from "../../domain/session.ts";
import { renderCardText } from "../../evaluation/render.ts";
import { defineMessages } from "../../i18n/index.ts";
import type { Outbound, PersonaSummary } from "../../roleplay/api.ts";
import type { Engine } from "../../roleplay/engine.ts";
import { type CommandHints, roleplayTexts } from "../../roleplay/messages.ts";

/** The commands the shared sentences point a console trainee to. */
export const CONSOLE_COMMANDS: CommandHints = {
  start: "npx roleplay console",
  end: "/end",
  personas: "npx roleplay personas list",
};

const text = defineMessages({
  en: {
    pick: "Choose a customer (number or id):",
    invalidPick: (v: string) => `"${v}" is not in the list. Type a number from the list or a persona id.`,
    noPersonas: "No personas are available. Check them with: npx roleplay personas check",
    started: (title: string, name: string) =>
      `--- Practice: ${title}. You are the bank's staff; ${name} is the customer. ---`,
    commands: "Commands: /end finishes and evaluates the session, /help shows this, /quit leaves it for later.",
    youOpen: "The customer is waiting: you speak first.",
    resumed: (title: string) => `--- Resuming your session: ${title} (type /end to finish it) ---`,
    you: "You",
    left: "Session left open: run the console again to continue it.",
    evaluateLater: (id: string) => `See the evaluation later with: npx roleplay evaluate ${id}`,
    rerun: (id: string) => `A trainer can re-run it with: npx roleplay evaluate ${id} --rerun`,
  },
  "zh-CN": {
    pick: "请选择一位客户（输入编号或 ID）：",
    invalidPick: (v: string) => `列表中没有"${v}"。请输入列表中的编号或客户角色 ID。`,
    noPersonas: "没有可用的客户角色。请运行 npx roleplay personas check 检查。",
    started: (title: string, name: string) => `--- 练习：${title}。你是银行工作人员，${name}是客户。---`,
    commands: "命令：/end 结束并评估，/help 显示帮助，/quit 暂时离开（稍后可继续）。",
    youOpen: "客户在等你开口：请你先说。",
    resumed: (title: string) => `--- 继续未完成的练习：${title}（输入 /end 结束）---`,
    you: "你",
    left: "练习未结束：再次运行 console 即可继续。",
    evaluateLater: (id: string) => `稍后可用 npx roleplay evaluate ${id} 查看评估。`,
    rerun: (id: string) => `培训师可用 npx roleplay evaluate ${id} --rerun 重新评估。`,
  },
});

export interface ConsoleOptions {
  engine: Engine;
  personaId?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The tool's own words. */
  language: Language;
  interactive: boolean;
}

/** Runs one practice session in the terminal. Resolves with the exit code. */
export async function runConsole(opts: ConsoleOptions): Promise<number> {
  const { engine, output } = opts;
  const t = text(opts.language);
  const codes = roleplayTexts(opts.language, CONSOLE_COMMANDS);
  const write = (line = "") => output.write(`${line}\n`);
  const user = os.userInfo().username || "trainee";
  const trainee: TraineeIdentity = { platform: "console", userId: user, displayName: user, locale: opts.language };
  const place: Place = { platform: "console", scopeId: null, chatId: "terminal", threadId: null };
  let sessionId: string | null = null;
  let finished = false;

  engine.registerOutlet("console", {
    async deliver(event: Outbound) {
      if (sessionId && event.session.id !== sessionId) return undefined;
      switch (event.type) {
        case "typing":
          break;
        case "customer":
          write(`${event.speaker}: ${event.text}`);
          break;
        case "notice":
          write(`(${codes.notice(event.code)})`);
          // The terminal has no chat to post a late result in: point to the command instead.
          if (event.code === "evaluation_pending") write(t.evaluateLater(event.session.id));
          if (event.code === "evaluation_failed") write(t.rerun(event.session.id));
          if (event.code.startsWith("evaluation_")) finished = true;
          break;
        case "ended":
          write(`--- ${codes.ended(event.outcome)} ---`);
          break;
        case "evaluation":
          write();
          write(renderCardText(event.card));
          write();
          write(`npx roleplay evaluate ${event.session.id}`);
          finished = true;
          break;
      }
      return undefined;
    },
  });

  const rl = readline.createInterface({
    input: opts.input,
    terminal: opts.interactive && Boolean((output as NodeJS.WriteStream).isTTY),
  });
  const lines = rl[Symbol.asyncIterator]();
  const nextLine = async (prompt?: string): Promise<string | null> => {
    if (prompt && opts.interactive) output.write(prompt);
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
      write(t.resumed(title));
      await engine.resume();
      await engine.idle();
    } else {
      let personaId = opts.personaId;
      if (!personaId) {
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
        write(t.started(summary.title, summary.name));
        write(t.commands);
      }
      const started = await engine.start({ trainee, place, personaId });
      if (!started.ok) {
        write(codes.error(started.error.code, started.error.detail));
        return 1;
      }
      sessionId = started.session.id;
      if (await traineeOpens(engine, trainee, place)) write(t.youOpen);
    }

    for (;;) {
      const line = await nextLine(`${t.you}: `);
      if (line === null) {
        await engine.idle();
        if (!finished) write(t.left);
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
        await engine.idle();
        return 0;
      }
      if (!opts.interactive) write(`${t.you}: ${said}`);
      const r = await engine.message({
        trainee,
        place,
        text: said,
        inboundKey: `console:${sessionId}:${crypto.randomUUID()}`,
      });
      await engine.idle();
      if (r.status === "no_session") {
        // The customer ended the session (or it timed out): the evaluation was shown above.
        return 0;
      }
      if (!(await engine.activeSession(trainee, place))) return 0;
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
  t: ReturnType<typeof text>,
): Promise<string | undefined> {
  personas.forEach((p, i) => {
    write(
      `${String(i + 1).padStart(2)}. ${p.title} — ${p.name} [${p.archetype}, ${p.difficulty}, ${p.language}] (${p.id})`,
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
    write(t.invalidPick(v));
  }
}
