// The terminal practice's own words (the shared session sentences are in roleplay/messages.ts).
import { defineMessages } from "../../i18n/index.ts";

export const consoleText = defineMessages({
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
    judgeSlow: "The judge has not answered yet. Trying again for a moment...",
    waiting: (attempt: number) => `Waiting for the evaluation (attempt ${attempt})...`,
    finishLater: (id: string) =>
      `The evaluation is not ready: the judge did not answer. Finish it later with:\n  npx roleplay evaluate ${id} --rerun`,
    judgeGaveUp: (id: string) =>
      `The judge failed on every try, so this session has no evaluation yet. When the model works again, run:\n  npx roleplay evaluate ${id} --rerun`,
    fullReport: (id: string) => `The full report: npx roleplay evaluate ${id}`,
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
    judgeSlow: "评委暂时没有回应，正在重试……",
    waiting: (attempt: number) => `正在等待评估（第 ${attempt} 次尝试）……`,
    finishLater: (id: string) =>
      `评估尚未完成：评委没有回应。稍后可运行以下命令完成评估：\n  npx roleplay evaluate ${id} --rerun`,
    judgeGaveUp: (id: string) =>
      `评委多次尝试均失败，本次练习暂无评估。模型恢复后请运行：\n  npx roleplay evaluate ${id} --rerun`,
    fullReport: (id: string) => `完整报告：npx roleplay evaluate ${id}`,
  },
});
