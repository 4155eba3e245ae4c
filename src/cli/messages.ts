// The command line's own words.
import { defineMessages } from "../i18n/index.ts";

export const cliText = defineMessages({
  en: {
    /** platformCommands: each platform's own command lines (with their line ends). */
    usage: (platformCommands: string) => `roleplay: practise difficult customer conversations

Usage: roleplay <command> [options]

Commands:
  start [--persona ID]       run the configured chat platforms (--platform ID: one), or practise in the terminal
  console [--persona ID]     practise in the terminal
  personas check [DIR|FILE]  check persona and rubric files; lists every problem
  personas list [--json]     list the personas
  personas show ID           print what the customer model is told for a persona
  personas schema [--write]  print (or write) the JSON Schemas editors use
  evaluate ...               show or run evaluations (roleplay evaluate --help)
  report ...                 manager reports: md, csv, json, html (roleplay report --help)
  llm check                  check the configured model endpoints
  config check               check the configuration
${platformCommands}  trainee delete ID          delete a trainee's data (ID: PLATFORM:USER_ID)
  assign --persona ID --to WHO --due DAY   set customers for trainees or a place (roleplay assign --help)
  assignments [--mine|--start ID|...]      assignments with completion; close, release, practise one
  db migrate                 create or upgrade the database tables

Every command takes --help, and --personas DIR to use another personas folder
(the same as PERSONAS_DIR).`,
    unknownCommand: (c: string) => `Unknown command "${c}". Run "roleplay --help" for the list.`,
    configOk: "Configuration is valid.",
    llmNone: (missing: string) => `Language model: not configured (missing ${missing})`,
    llmLine: (role: string, model: string, host: string) => `Language model (${role}): ${model} at ${host}`,
    database: (d: string) => `Database: ${d}`,
    folders: (p: string, r: string) => `Personas: ${p}\nPrompts and rubrics: ${r}`,
    platforms: (list: string) => `Chat platforms: ${list}`,
    noPlatform: "none (the terminal practice runs)",
    checkOk: (p: number, r: number) =>
      `All files are valid: ${p === 1 ? "1 persona" : `${p} personas`}, ${r === 1 ? "1 rubric" : `${r} rubrics`}.`,
    checkProblems: (n: number) => (n === 1 ? "1 problem found:" : `${n} problems found:`),
    checkKept: "Still loaded: the valid files above.",
    noSuchDir: (d: string) => `${d} does not exist (give a folder of personas or one persona file).`,
    personaNotFound: (id: string) => `No persona "${id}". "roleplay personas list" shows the ids.`,
    listHeader: "id | name | archetype | difficulty | language | channel",
    schemaWritten: (f: string) => `Written: ${f}`,
    noLlm: `No language model is configured, so the customer cannot speak.

Choose one and put it in .env (see .env.example):

  1. OpenAI or any OpenAI-compatible service (DeepSeek, Qwen, Azure ...):
       LLM_API_KEY=sk-...
       LLM_MODEL=gpt-4o-mini
       LLM_BASE_URL=https://api.openai.com/v1     (the service's base URL)

  2. A model on your own machine, for example Ollama (https://ollama.com):
       ollama pull qwen2.5:7b
       LLM_BASE_URL=http://localhost:11434/v1
       LLM_MODEL=qwen2.5:7b
       LLM_API_KEY=ollama                          (any value)

Then run "npx roleplay llm check" to test the connection, and "npm start" again.`,
    usageLine: (syntax: string) => `Usage: ${syntax}`,
    needsValue: (flag: string) => `${flag} needs a value.`,
    unknownOption: (flag: string) => `Unknown option ${flag}.`,
    takesNoValue: (flag: string) => `${flag} takes no value.`,
    unexpectedArgument: "Unexpected argument.",
    seeHelp: (command: string) => `See "${command} --help".`,
    noTrainee: (id: string, examples: string) => `There is no trainee ${id}. Ids look like ${examples}.`,
    startHelp: "runs the configured chat platforms; without any, the terminal practice",
    traineeExample: (example: string) => `(for example ${example})`,
    platformNotConfigured: (id: string) =>
      `The platform "${id}" is not configured (or unknown): "roleplay config check" lists the configured ones.`,
    or: " or ",
    llmMissing: (missing: string) => `No language model is configured (missing ${missing}). See .env.example.`,
    llmUnreachable: (host: string, detail: string) =>
      `The language model at ${host} cannot be reached (${detail}). Is the server running, and is LLM_BASE_URL right? "npx roleplay llm check" tells more.`,
    llmAuth: (host: string, detail: string) =>
      `The language model at ${host} refused the API key (${detail}). Check LLM_API_KEY (or CUSTOMER_/JUDGE_API_KEY).`,
    deleted: (id: string) => `Deleted all data of ${id}.`,
    migrated: (d: string) => `Database ready: ${d}`,
    botsRunning: (list: string) => `Running: ${list}. Press Ctrl+C to stop.`,
    stopping: "Stopping: finishing the turns in progress...",
    notAvailable: (what: string) => `${what} is not available in this build.`,
  },
  "zh-CN": {
    usage: (platformCommands: string) => `roleplay：练习应对难缠客户的对话

用法：roleplay <命令> [选项]

命令：
  start [--persona ID]       运行已配置的聊天平台（--platform ID：只运行一个），未配置时在终端练习
  console [--persona ID]     在终端练习
  personas check [目录|文件] 检查客户角色和评分表文件，列出所有问题
  personas list [--json]     列出客户角色
  personas show ID           显示客户模型收到的完整设定
  personas schema [--write]  输出（或写入）编辑器使用的 JSON Schema
  evaluate ...               查看或运行评估（roleplay evaluate --help）
  report ...                 管理报表：md、csv、json、html（roleplay report --help）
  llm check                  检查已配置的模型服务
  config check               检查配置
${platformCommands}  trainee delete ID          删除某位学员的全部数据（ID 形如 平台:用户ID）
  assign --persona ID --to WHO --due DAY   给学员或群组布置练习任务（roleplay assign --help）
  assignments [--mine|--start ID|...]      任务及完成情况；关闭、公布成绩、练习某个任务
  db migrate                 创建或升级数据库表

每个命令都支持 --help，以及 --personas 目录（改用另一个客户角色目录，
与 PERSONAS_DIR 相同）。`,
    unknownCommand: (c: string) => `没有"${c}"这个命令。运行 "roleplay --help" 查看命令列表。`,
    configOk: "配置有效。",
    llmNone: (missing: string) => `语言模型：未配置（缺少 ${missing}）`,
    llmLine: (role: string, model: string, host: string) => `语言模型（${role}）：${model}，地址 ${host}`,
    database: (d: string) => `数据库：${d}`,
    folders: (p: string, r: string) => `客户角色目录：${p}\n提示词与评分表目录：${r}`,
    platforms: (list: string) => `聊天平台：${list}`,
    noPlatform: "无（将在终端练习）",
    checkOk: (p: number, r: number) => `所有文件有效：${p} 个客户角色，${r} 个评分表。`,
    checkProblems: (n: number) => `发现 ${n} 个问题：`,
    checkKept: "其余有效文件仍会正常加载。",
    noSuchDir: (d: string) => `${d} 不存在（请给出角色文件夹或单个角色文件）。`,
    personaNotFound: (id: string) => `没有 ID 为"${id}"的客户角色。用 "roleplay personas list" 查看所有 ID。`,
    listHeader: "ID | 名字 | 类型 | 难度 | 语言 | 场景",
    schemaWritten: (f: string) => `已写入：${f}`,
    noLlm: `尚未配置语言模型，模拟客户无法说话。

请任选一种，写入 .env 文件（参见 .env.example）：

  1. OpenAI 或任何兼容 OpenAI 接口的服务（DeepSeek、通义千问、Azure 等）：
       LLM_API_KEY=sk-...
       LLM_MODEL=gpt-4o-mini
       LLM_BASE_URL=https://api.openai.com/v1     （该服务的接口地址）

  2. 在本机运行的模型，例如 Ollama（https://ollama.com）：
       ollama pull qwen2.5:7b
       LLM_BASE_URL=http://localhost:11434/v1
       LLM_MODEL=qwen2.5:7b
       LLM_API_KEY=ollama                          （任意值）

然后运行 "npx roleplay llm check" 测试连接，再运行 "npm start"。`,
    usageLine: (syntax: string) => `用法：${syntax}`,
    needsValue: (flag: string) => `${flag} 需要一个值。`,
    unknownOption: (flag: string) => `未知选项 ${flag}。`,
    takesNoValue: (flag: string) => `${flag} 不接受值。`,
    unexpectedArgument: "多余的参数。",
    seeHelp: (command: string) => `参见 "${command} --help"。`,
    noTrainee: (id: string, examples: string) => `没有学员 ${id}。ID 形如 ${examples}。`,
    startHelp: "运行已配置的聊天平台；都未配置时在终端练习",
    traineeExample: (example: string) => `（例如 ${example}）`,
    platformNotConfigured: (id: string) => `平台“${id}”未配置（或不存在）：“roleplay config check”列出已配置的平台。`,
    or: " 或 ",
    llmMissing: (missing: string) => `尚未配置语言模型（缺少 ${missing}）。参见 .env.example。`,
    llmUnreachable: (host: string, detail: string) =>
      `无法连接 ${host} 上的语言模型（${detail}）。服务是否在运行？LLM_BASE_URL 是否正确？运行 "npx roleplay llm check" 查看详情。`,
    llmAuth: (host: string, detail: string) =>
      `${host} 上的语言模型拒绝了 API 密钥（${detail}）。请检查 LLM_API_KEY（或 CUSTOMER_/JUDGE_API_KEY）。`,
    deleted: (id: string) => `已删除 ${id} 的全部数据。`,
    migrated: (d: string) => `数据库已就绪：${d}`,
    botsRunning: (list: string) => `正在运行：${list}。按 Ctrl+C 停止。`,
    stopping: "正在停止：等待进行中的对话轮次完成……",
    notAvailable: (what: string) => `此版本不包含 ${what}。`,
  },
});
