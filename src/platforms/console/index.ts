// Practice in the terminal: pick a persona, talk, /end, read the evaluation. Works interactively
// and with piped input (each line is one message), so a whole session can be scripted.
import os from "node:os";
import readline from "node:readline";
import type { Language } from "../../domain/persona.ts";
import type { Place, TraineeIdentity } from "../../domain/session.ts";
import { renderCardText } from "../../evaluation/render.ts";
import { defineMessages } from "../../i18n/index.ts";
import type { EngineErrorCode, NoticeCode, Outbound, PersonaSummary } from "../../roleplay/api.ts";
import type { Engine } from "../../roleplay/engine.ts";

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
    ended: {
      continue: "--- Session ended. ---",
      satisfied: "--- The customer is satisfied. Session ended. ---",
      walked_out: "--- The customer walked out. Session ended. ---",
      supervisor: "--- The customer demands a supervisor. Session ended. ---",
    },
    waitingEval: "Evaluating the conversation...",
    left: "Session left open: run the console again to continue it.",
    notices: {
      pii_masked: "Note: personal data (card, ID or phone numbers) was hidden before anything was stored or sent.",
      customer_unavailable:
        "The customer is unavailable right now (the model did not answer). Your message is saved: send another message or try again in a moment.",
      customer_rate_limited:
        "The model is busy (rate limited). Your message is saved: wait a minute, then send another message.",
      evaluation_pending:
        "The evaluation could not be made now; it will be retried. See it later with: npx roleplay evaluate SESSION_ID",
      evaluation_failed:
        "The evaluation failed after several tries. A trainer can re-run it with: npx roleplay evaluate SESSION_ID --rerun",
      evaluation_skipped: "The conversation was too short to score.",
      session_resumed: "Your session continues where it stopped.",
    } satisfies Record<NoticeCode, string>,
    errors: {
      persona_not_found: "There is no persona with that id. See: npx roleplay personas list",
      no_persona_matches: "No persona matches that choice.",
      rubric_missing: "This persona's rubric is missing. Run: npx roleplay personas check",
      session_already_active: "You already have an active session here.",
      no_active_session: "There is no active session.",
      session_not_found: "That session does not exist.",
      not_allowed: "You may not do that.",
      customer_unavailable: "The customer is unavailable right now; try again in a moment.",
    } satisfies Record<EngineErrorCode, string>,
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
    ended: {
      continue: "--- 练习结束。---",
      satisfied: "--- 客户满意了。练习结束。---",
      walked_out: "--- 客户离开了。练习结束。---",
      supervisor: "--- 客户要求找主管。练习结束。---",
    },
    waitingEval: "正在评估本次对话……",
    left: "练习未结束：再次运行 console 即可继续。",
    notices: {
      pii_masked: "提示：卡号、身份证号、手机号等个人信息已在保存和发送前隐去。",
      customer_unavailable: "客户暂时无法回应（模型没有应答）。你的话已保存：请稍后再发一条消息。",
      customer_rate_limited: "模型繁忙（请求受限）。你的话已保存：请一分钟后再发一条消息。",
      evaluation_pending: "暂时无法完成评估，系统会自动重试。稍后可用 npx roleplay evaluate 会话ID 查看。",
      evaluation_failed: "多次尝试后评估仍失败。培训师可用 npx roleplay evaluate 会话ID --rerun 重新评估。",
      evaluation_skipped: "对话太短，不予评分。",
      session_resumed: "练习从中断处继续。",
    },
    errors: {
      persona_not_found: "没有这个客户角色 ID。查看：npx roleplay personas list",
      no_persona_matches: "没有符合条件的客户角色。",
      rubric_missing: "该客户角色的评分表缺失。请运行：npx roleplay personas check",
      session_already_active: "你在这里已有一个进行中的练习。",
      no_active_session: "当前没有进行中的练习。",
      session_not_found: "找不到该练习记录。",
      not_allowed: "你没有权限这样做。",
      customer_unavailable: "客户暂时无法回应，请稍后再试。",
    },
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
          write(`(${t.notices[event.code]})`);
          if (event.code.startsWith("evaluation_")) finished = true;
          break;
        case "ended":
          write(t.ended[event.outcome]);
          write(t.waitingEval);
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
        write(t.errors[started.error.code]);
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
        if (!r.ok) write(t.errors[r.error.code]);
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
