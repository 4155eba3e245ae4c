// What people read about assignments, in the terminal and in chat: statuses, modes, the reasons a
// start or a new assignment is refused (each says what to do), reminders. Both languages.
import type { AssignmentMode, ProgressStatus } from "../domain/assignment.ts";
import { defineMessages } from "../i18n/index.ts";
import type { AssignInputError } from "./input.ts";
import type { AssignmentErrorCode } from "./service.ts";

/** How the interface names the commands a sentence points to (CLI or chat spelling). */
export interface AssignmentHints {
  /** Lists one's assignments, e.g. "/assignments" or "npx roleplay assignments --mine". */
  list: string;
  /** Lists the personas. */
  personas: string;
}

export const assignmentMessages = defineMessages({
  en: {
    status: (s: ProgressStatus): string =>
      ({
        not_started: "not started",
        in_progress: "in progress",
        passed: "passed",
        failed: "failed",
        overdue: "overdue",
      })[s],
    mode: (m: AssignmentMode, attempts: number | null): string =>
      m === "practice"
        ? "practice"
        : `assessment, ${attempts === 1 ? "1 attempt" : `${attempts} attempts`} per customer`,
    due: (day: string) => `due ${day}`,
    closed: "closed",
    released: "results released",
    resultsHeld: "results held until released",
    attemptsLine: (used: number, max: number | null) =>
      max === null ? `${used} ${used === 1 ? "attempt" : "attempts"}` : `attempts ${used}/${max}`,
    score: (best: number | null, latest: number | null) =>
      best === null ? "no score yet" : `best ${best.toFixed(1)}, latest ${(latest ?? best).toFixed(1)}`,
    passMark: (mark: number | null) => (mark === null ? "pass mark: the rubric's" : `pass mark: ${mark}`),
    nothingDue: "You have no open assignments.",
    noneSet: "No open assignments.",
    yoursTitle: "Your assignments:",
    allTitle: "Assignments:",
    counts: (total: number, passed: number, failed: number, inProgress: number, notStarted: number, overdue: number) =>
      `${total} ${total === 1 ? "trainee" : "trainees"}: ${passed} passed, ${failed} failed, ${inProgress} in progress, ${notStarted} not started, ${overdue} overdue`,
    startButton: (title: string) => `▶ ${title}`,
    created: (id: string) => `Assignment ${id} set.`,
    closedDone: (id: string) => `Assignment ${id} is closed: no new attempts; its results stay.`,
    releasedDone: (id: string) => `Results of ${id} are released: held cards are being delivered.`,
    notReleasable: (id: string) =>
      `Nothing to release for ${id}: it is not an assessment, does not exist, or was released already.`,
    notClosable: (id: string) => `${id} cannot be closed: it does not exist or is closed already.`,
    trainersOnly: "Only trainers and managers can set, close or release assignments.",
    chatAssignUsage:
      "Set an assignment like this: /assign --persona ID[,ID] --due YYYY-MM-DD [--mode assessment --attempts 2] [--pass-mark 70] [--to PLATFORM:USER_ID,...]. In a group, without --to it is for the group.",
    chatListUsage: "Use: /assignments, /assignments mine, /assignments close ID, /assignments release ID.",
    startHint: "Press a customer below to start it now.",
    onlyYourGroup: "As a group administrator you can set and change assignments for this group only.",
    unavailable: "Assignments are not available here.",
    error: (code: AssignmentErrorCode, hints: AssignmentHints, detail?: string): string =>
      ({
        assignment_not_found: `There is no assignment ${detail ?? ""}. ${hints.list} lists yours.`,
        assignment_closed: `Assignment ${detail ?? ""} is closed. Ask your trainer if you still need it.`,
        assignment_over: `The due day of assessment ${detail ?? ""} has passed: no more attempts. Your results are in ${hints.list}.`,
        not_assigned: `Assignment ${detail ?? ""} is not set for you. ${hints.list} lists yours.`,
        persona_not_in_assignment: `Customer ${detail ?? ""} is not part of this assignment. ${hints.list} shows which are.`,
        attempts_used: `You have used every attempt for ${detail ?? "this customer"}. Your trainer can tell you what comes next.`,
        all_done: `Nothing left to do in ${detail ?? "this assignment"}: every customer is passed or out of attempts.`,
      })[code],
    inputError: (e: AssignInputError, hints: AssignmentHints): string => {
      switch (e.code) {
        case "no_personas":
          return `Name at least one persona (${hints.personas} lists them).`;
        case "unknown_persona":
          return `There is no persona "${e.detail}". ${hints.personas} lists them.`;
        case "bad_target":
          return `"${e.detail}" is not a trainee or place. Use PLATFORM:USER_ID (console:NAME in the terminal), PLATFORM-group:GROUP_ID, PLATFORM-server:SERVER_ID or PLATFORM-role:SERVER_ID/ROLE_ID, separated by commas.`;
        case "bad_due":
          return `"${e.detail}" is not a date. Give the due day as YYYY-MM-DD, e.g. 2026-12-31.`;
        case "due_past":
          return `The due day ${e.detail} is already over. Give a day from today on.`;
        case "bad_mode":
          return `"${e.detail}" is not a mode. Use practice or assessment.`;
        case "bad_attempts":
          return `"${e.detail}" is not a number of attempts. Give a whole number from 1 to 100.`;
        case "attempts_in_practice":
          return "Practice allows unlimited attempts. Add --mode assessment to limit them.";
        case "bad_pass_mark":
          return `"${e.detail}" is not a pass mark. Give a number from 0 to 100.`;
      }
    },
    reminderBefore: (title: string, day: string, list: string) =>
      `Reminder: "${title}" is due ${day}. Start it from ${list}.`,
    reminderOverdue: (title: string, day: string, list: string) =>
      `"${title}" was due ${day} and is not finished yet. Finish it from ${list}, or talk to your trainer.`,
  },
  "zh-CN": {
    status: (s: ProgressStatus): string =>
      ({
        not_started: "未开始",
        in_progress: "进行中",
        passed: "已通过",
        failed: "未通过",
        overdue: "已逾期",
      })[s],
    mode: (m: AssignmentMode, attempts: number | null): string =>
      m === "practice" ? "练习" : `考核，每位客户 ${attempts ?? 1} 次机会`,
    due: (day: string) => `截止 ${day}`,
    closed: "已关闭",
    released: "成绩已公布",
    resultsHeld: "成绩待公布",
    attemptsLine: (used: number, max: number | null) => (max === null ? `已练 ${used} 次` : `已用 ${used}/${max} 次`),
    score: (best: number | null, latest: number | null) =>
      best === null ? "暂无成绩" : `最高 ${best.toFixed(1)} 分，最近 ${(latest ?? best).toFixed(1)} 分`,
    passMark: (mark: number | null) => (mark === null ? "及格线：按评分标准" : `及格线：${mark} 分`),
    nothingDue: "你目前没有待完成的任务。",
    noneSet: "目前没有进行中的任务。",
    yoursTitle: "你的任务：",
    allTitle: "任务：",
    counts: (total: number, passed: number, failed: number, inProgress: number, notStarted: number, overdue: number) =>
      `共 ${total} 名学员：通过 ${passed}，未通过 ${failed}，进行中 ${inProgress}，未开始 ${notStarted}，逾期 ${overdue}`,
    startButton: (title: string) => `▶ ${title}`,
    created: (id: string) => `任务 ${id} 已布置。`,
    closedDone: (id: string) => `任务 ${id} 已关闭：不能再开始新的尝试，已有成绩保留。`,
    releasedDone: (id: string) => `任务 ${id} 的成绩已公布：暂存的评估结果正在发送。`,
    notReleasable: (id: string) => `任务 ${id} 没有可公布的成绩：它不是考核、不存在，或已经公布过。`,
    notClosable: (id: string) => `任务 ${id} 无法关闭：它不存在或已经关闭。`,
    trainersOnly: "只有培训师和管理者可以布置、关闭或公布任务。",
    chatAssignUsage:
      "布置任务的格式：/assign --persona 角色ID[,角色ID] --due YYYY-MM-DD [--mode assessment --attempts 2] [--pass-mark 70] [--to 平台:用户ID,...]。在群里不写 --to 则布置给本群。",
    chatListUsage: "用法：/assignments、/assignments mine、/assignments close 任务ID、/assignments release 任务ID。",
    startHint: "点击下面的客户即可开始练习。",
    onlyYourGroup: "作为群管理员，你只能为本群布置和修改任务。",
    unavailable: "这里无法使用任务功能。",
    error: (code: AssignmentErrorCode, hints: AssignmentHints, detail?: string): string =>
      ({
        assignment_not_found: `没有找到任务 ${detail ?? ""}。用 ${hints.list} 查看你的任务。`,
        assignment_closed: `任务 ${detail ?? ""} 已关闭。如仍需练习，请联系培训师。`,
        assignment_over: `考核 ${detail ?? ""} 已过截止日，不能再尝试。成绩可在 ${hints.list} 中查看。`,
        not_assigned: `任务 ${detail ?? ""} 不是布置给你的。用 ${hints.list} 查看你的任务。`,
        persona_not_in_assignment: `客户 ${detail ?? ""} 不在这个任务中。用 ${hints.list} 查看包含哪些客户。`,
        attempts_used: `客户 ${detail ?? ""} 的尝试次数已用完。下一步请听培训师安排。`,
        all_done: `任务 ${detail ?? ""} 已没有可做的练习：每位客户都已通过或用完了次数。`,
      })[code],
    inputError: (e: AssignInputError, hints: AssignmentHints): string => {
      switch (e.code) {
        case "no_personas":
          return `请至少指定一个角色（${hints.personas} 列出全部角色）。`;
        case "unknown_persona":
          return `没有角色“${e.detail}”。${hints.personas} 列出全部角色。`;
        case "bad_target":
          return `“${e.detail}”不是学员或地点。请用 平台:用户ID（终端里为 console:名字）、平台-group:群ID、平台-server:服务器ID 或 平台-role:服务器ID/角色ID，多个用逗号分隔。`;
        case "bad_due":
          return `“${e.detail}”不是日期。请按 YYYY-MM-DD 填写截止日，例如 2026-12-31。`;
        case "due_past":
          return `截止日 ${e.detail} 已经过去。请填写今天或以后的日期。`;
        case "bad_mode":
          return `“${e.detail}”不是有效模式。请用 practice（练习）或 assessment（考核）。`;
        case "bad_attempts":
          return `“${e.detail}”不是有效的次数。请填写 1 到 100 的整数。`;
        case "attempts_in_practice":
          return "练习模式不限次数。如需限制次数，请加上 --mode assessment。";
        case "bad_pass_mark":
          return `“${e.detail}”不是有效的及格线。请填写 0 到 100 的数字。`;
      }
    },
    reminderBefore: (title: string, day: string, list: string) =>
      `提醒：“${title}”将于 ${day} 截止。用 ${list} 开始练习。`,
    reminderOverdue: (title: string, day: string, list: string) =>
      `“${title}”已于 ${day} 截止，但尚未完成。请用 ${list} 完成，或联系培训师。`,
  },
});
