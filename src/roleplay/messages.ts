// The sentences a trainee reads for the engine's stable codes (errors, notices, how a session
// ended), written once so every platform says the same thing. Each says what happened and what
// to do next. Commands differ per platform ("/end", "/roleplay end"), so a sentence that names
// one takes the platform's spelling of it, already formatted as that platform shows commands.
import type { Outcome } from "../domain/session.ts";
import { defineMessages, type Language } from "../i18n/index.ts";
import type { EngineErrorCode, NoticeCode } from "./api.ts";

/** How a platform spells the commands these sentences point the trainee to. */
export interface CommandHints {
  /** Starts a session, e.g. "/roleplay". */
  start: string;
  /** Ends the running session, e.g. "/end". */
  end: string;
  /** Lists the personas, e.g. "/personas". */
  personas: string;
}

// Runtime lists the type checker holds complete, so tests can walk every code.
const errorCodes = {
  persona_not_found: true,
  no_persona_matches: true,
  rubric_missing: true,
  session_already_active: true,
  no_active_session: true,
  session_not_found: true,
  not_allowed: true,
  customer_unavailable: true,
  results_held: true,
} satisfies Record<EngineErrorCode, true>;
const noticeCodes = {
  pii_masked: true,
  customer_unavailable: true,
  customer_rate_limited: true,
  customer_reply_rejected: true,
  evaluation_pending: true,
  evaluation_failed: true,
  evaluation_skipped: true,
  evaluation_held: true,
  session_resumed: true,
  engine_error: true,
} satisfies Record<NoticeCode, true>;
export const ENGINE_ERROR_CODES = Object.keys(errorCodes) as EngineErrorCode[];
export const NOTICE_CODES = Object.keys(noticeCodes) as NoticeCode[];

type ErrorText = (c: CommandHints, detail?: string) => string;
type NoticeText = (c: CommandHints) => string;

export const roleplayMessages = defineMessages({
  en: {
    error: (code: EngineErrorCode, commands: CommandHints, detail?: string): string =>
      (
        ({
          persona_not_found: (c, d) =>
            `There is no persona${d ? ` "${d}"` : ""}. See the ones you can practise with using ${c.personas}, then start one with ${c.start}.`,
          no_persona_matches: (c) =>
            `No persona matches that choice. Choose another one (${c.personas} lists them all) and start with ${c.start}.`,
          rubric_missing: (c) =>
            `This persona cannot be scored because its evaluation rubric is missing. Please tell a trainer, and practise with another persona from ${c.personas} meanwhile.`,
          session_already_active: (c) =>
            `You already have a session running here. Finish it with ${c.end} before starting another one.`,
          no_active_session: (c) => `You have no session running here. Start one with ${c.start}.`,
          session_not_found: (c) => `That session no longer exists. Start a new one with ${c.start}.`,
          not_allowed: () =>
            "Only the trainee who practised, their trainers and managers can see this. Ask a trainer if you need it.",
          customer_unavailable: () =>
            "The customer could not be reached (the language model did not answer). Please try again in a minute.",
          results_held: () =>
            "This was an assessment: its results are held until your trainer releases them or the due day has passed. You will receive them then.",
        }) satisfies Record<EngineErrorCode, ErrorText>
      )[code](commands, detail),
    notice: (code: NoticeCode, commands: CommandHints): string =>
      (
        ({
          pii_masked: () =>
            "Personal data (card, account, ID or phone numbers, e-mail addresses, codes, names, addresses) was masked before it was stored or sent. Use made-up details while practising.",
          customer_unavailable: () =>
            "The customer could not answer (the language model failed). Your message is kept: wait a moment, then send your next message and the customer will answer both.",
          customer_rate_limited: () =>
            "The customer is busy (the language model is rate limited). Your message is kept: wait a minute, then send your next message.",
          customer_reply_rejected: () =>
            "The customer's answer came out broken (the language model slipped out of its role), so it was not shown. Your message is kept: send your next message and the customer will answer both.",
          evaluation_pending: () =>
            "The evaluation is taking longer than usual. There is nothing to do: it will appear as soon as it is ready.",
          evaluation_failed: () =>
            "The evaluation could not be produced. Your conversation is saved, and a trainer can evaluate it later.",
          evaluation_skipped: (c) =>
            `The conversation was too short to evaluate. Start again with ${c.start} and talk with the customer a little longer.`,
          evaluation_held: () =>
            "Your assessment attempt is recorded and evaluated. The results are held until your trainer releases them or the due day has passed; you will receive them here then.",
          session_resumed: (c) =>
            `The bot was restarted and your session continues. Carry on where you left off, or finish with ${c.end}.`,
          engine_error: (c) =>
            `Something went wrong on our side and the customer could not answer. Your message is saved: send another one in a moment, or finish with ${c.end}. If it keeps happening, tell your trainer.`,
        }) satisfies Record<NoticeCode, NoticeText>
      )[code](commands),
    ended: (outcome: Outcome): string =>
      (
        ({
          continue: "Session ended before the conversation came to a close. Your evaluation follows.",
          satisfied: "Session ended: the customer is satisfied. Your evaluation follows.",
          walked_out: "Session ended: the customer walked out. Your evaluation follows.",
          supervisor: "Session ended: the customer asked for a supervisor. Your evaluation follows.",
        }) satisfies Record<Outcome, string>
      )[outcome],
    forgetExplain: (platform: string): string =>
      [
        `This deletes everything I have stored about you on ${platform}: all your practice sessions, their transcripts and their evaluations. Trainers and managers will no longer see them in reports.`,
        "A session you are in right now is ended without an evaluation.",
        "This cannot be undone. Delete everything?",
      ].join("\n\n"),
    forgetConfirm: "🗑 Delete everything",
    forgetCancel: "Cancel",
    forgetDone: (sessions: number): string =>
      sessions === 0
        ? "Done. I had no practice sessions of yours; anything else stored about you (such as your language) is deleted too."
        : `Done. ${sessions === 1 ? "Your practice session was" : `Your ${sessions} practice sessions were`} deleted, with their transcripts and evaluations.`,
    forgetDoneShort: "Done: the data was deleted.",
    forgetCancelled: "Cancelled. Nothing was deleted.",
    forgetNotYours: "Only the person who asked for the deletion can confirm it.",
  },
  "zh-CN": {
    error: (code: EngineErrorCode, commands: CommandHints, detail?: string): string =>
      (
        ({
          persona_not_found: (c, d) =>
            `没有找到角色${d ? `“${d}”` : ""}。用 ${c.personas} 查看可以练习的角色，再用 ${c.start} 开始。`,
          no_persona_matches: (c) =>
            `没有符合该选择的角色。请另选一个（${c.personas} 列出全部角色），再用 ${c.start} 开始。`,
          rubric_missing: (c) =>
            `该角色缺少评分标准，无法评分。请通知培训师修正；在此之前，可以从 ${c.personas} 中选择其他角色练习。`,
          session_already_active: (c) => `你在这里已有一个进行中的练习。请先用 ${c.end} 结束，再开始新的练习。`,
          no_active_session: (c) => `你在这里没有进行中的练习。用 ${c.start} 开始一个吧。`,
          session_not_found: (c) => `该练习已不存在。用 ${c.start} 开始新的练习。`,
          not_allowed: () => "只有练习的学员本人、其培训师和管理者可以查看。如有需要，请联系培训师。",
          customer_unavailable: () => "暂时联系不上客户（语言模型没有响应）。请一分钟后再试。",
          results_held: () => "这是一次考核：成绩会在培训师公布后或截止日过后发给你，在此之前无法查看。",
        }) satisfies Record<EngineErrorCode, ErrorText>
      )[code](commands, detail),
    notice: (code: NoticeCode, commands: CommandHints): string =>
      (
        ({
          pii_masked: () =>
            "个人信息（卡号、账号、证件号、电话、邮箱、密码、姓名、地址）在保存和发送前已被遮盖。练习时请使用虚构的信息。",
          customer_unavailable: () =>
            "客户没能回应（语言模型出错）。你的消息已保留：稍等片刻后发送下一条消息，客户会一并回应。",
          customer_rate_limited: () => "客户正忙（语言模型被限流）。你的消息已保留：请一分钟后再发送下一条消息。",
          customer_reply_rejected: () =>
            "客户的回复出了问题（语言模型跳出了角色），所以没有显示。你的消息已保留：发送下一条消息后，客户会一并回应。",
          evaluation_pending: () => "评估比平时慢一些。你无需操作，完成后会自动发给你。",
          evaluation_failed: () => "评估未能生成。你的对话已保存，培训师之后可以评估。",
          evaluation_skipped: (c) => `对话太短，无法评估。请用 ${c.start} 再练一次，和客户多聊几句。`,
          evaluation_held: () => "本次考核已记录并完成评估。成绩会在培训师公布后或截止日过后发到这里。",
          session_resumed: (c) => `机器人刚刚重启，你的练习会继续。请接着刚才的对话进行，或用 ${c.end} 结束。`,
          engine_error: (c) =>
            `系统出了点问题，客户暂时无法回应。你的话已保存：请稍后再发一条消息，或用 ${c.end} 结束。如果一直这样，请告诉培训师。`,
        }) satisfies Record<NoticeCode, NoticeText>
      )[code](commands),
    ended: (outcome: Outcome): string =>
      (
        ({
          continue: "练习结束，对话尚未得出结果。评估结果随后发送。",
          satisfied: "练习结束：客户满意了。评估结果随后发送。",
          walked_out: "练习结束：客户生气地离开了。评估结果随后发送。",
          supervisor: "练习结束：客户要求找主管。评估结果随后发送。",
        }) satisfies Record<Outcome, string>
      )[outcome],
    forgetExplain: (platform: string): string =>
      [
        `这将删除我在 ${platform} 上保存的关于你的全部数据：所有练习记录、对话内容和评估结果。培训师和管理者在报告中也将无法再看到它们。`,
        "如果你正在进行练习，该练习会直接结束，不做评估。",
        "删除后无法恢复。确定全部删除吗？",
      ].join("\n\n"),
    forgetConfirm: "🗑 全部删除",
    forgetCancel: "取消",
    forgetDone: (sessions: number): string =>
      sessions === 0
        ? "已完成。你没有练习记录；其他与你相关的数据（如语言设置）也已删除。"
        : `已完成。你的 ${sessions} 次练习及其对话内容和评估结果已全部删除。`,
    forgetDoneShort: "已完成：数据已删除。",
    forgetCancelled: "已取消，没有删除任何内容。",
    forgetNotYours: "只有提出删除请求的本人才能确认。",
  },
});

/** The shared sentences with one platform's commands filled in. */
export function roleplayTexts(language: Language, commands: CommandHints) {
  const m = roleplayMessages(language);
  return {
    error: (code: EngineErrorCode, detail?: string): string => m.error(code, commands, detail),
    notice: (code: NoticeCode): string => m.notice(code, commands),
    ended: (outcome: Outcome): string => m.ended(outcome),
    forgetExplain: m.forgetExplain,
    forgetConfirm: m.forgetConfirm,
    forgetCancel: m.forgetCancel,
    forgetDone: m.forgetDone,
    forgetDoneShort: m.forgetDoneShort,
    forgetCancelled: m.forgetCancelled,
    forgetNotYours: m.forgetNotYours,
  };
}
