// The errors' words, in both languages: what a RoleplayError says to a person. Keys follow the
// error classes; database faults have one reason and one piece of advice per kind.
import { defineMessages } from "../i18n/index.ts";

const ENV_FIX_EN = "Check DATABASE_URL (see .env.example).";
const ENV_FIX_ZH = "请检查 DATABASE_URL（见 .env.example）。";

export const errorMessages = defineMessages({
  en: {
    configInvalid: (lines: string) =>
      `The configuration is invalid:\n${lines}\nEvery variable is explained in .env.example.`,
    usage: (message: string) => message,
    userError: (message: string) => message,
    invalidJudgement: (details: string) => `the judge's answer does not fit the rubric: ${details}`,
    patternInvalid: (problem: string, detail: string, column: number | null) =>
      `${problem}${detail ? ` (${detail})` : ""}${column === null ? "" : ` at character ${column}`}`,
    llmRefused: (detail: string) => `${detail}`,
    llmUnreachable: (detail: string) => `${detail}`,
    llmAttemptTimedOut: "the model did not answer within the attempt's time limit",
    llmCallCancelled: "the model call was cancelled",
    llmNotConfigured: (missing: string) => `no language model configured (missing: ${missing})`,
    sessionAlreadyActive: "the trainee already has an active session in this place",
    reportOutputFailed: "report output failed",
    digestScheduleInvalid: (pattern: string, reason: string) =>
      `REPORT_DIGEST_CRON "${pattern}" is not a valid cron expression: ${reason}`,
    databaseUrlInvalid: (shown: string) =>
      `DATABASE_URL "${shown}" is not understood. Use sqlite:./data/roleplay.sqlite, sqlite::memory:, a file path ending in .sqlite, .sqlite3 or .db, or postgres://user:password@host:5432/database.`,
    databaseTooNew: (databaseVersion: number, knownVersion: number) =>
      `the database schema is at version ${databaseVersion}, newer than this build knows (${knownVersion}); upgrade the bot`,
    databaseOpenFailed: (database: string, reason: string, advice: string) =>
      `Cannot open the database (${database}): ${reason}. ${advice}`,
    databaseReason: {
      refused: "nothing answers at that host and port",
      unknown_host: "the host name is not known",
      timeout: "the connection timed out",
      auth: "the user name or password was refused",
      no_database: "that database does not exist",
      no_ddl_rights: "the user may not create tables there",
      path_blocked: "a file stands where a folder of the path should be",
      no_write_permission: "no permission to write there",
      locked: "the file is locked by another process",
      cannot_open: "the file cannot be opened",
      not_a_database: "the file is not a usable SQLite database",
      unique_violation: "a row with the same key already exists",
    },
    databaseAdvice: {
      refused: `Is PostgreSQL running there? ${ENV_FIX_EN}`,
      unknown_host: ENV_FIX_EN,
      timeout: `Is the server reachable from here? ${ENV_FIX_EN}`,
      auth: ENV_FIX_EN,
      no_database: "Create it (for example: createdb NAME), or fix DATABASE_URL.",
      no_ddl_rights: "Grant it the rights, or use another user in DATABASE_URL.",
      path_blocked: ENV_FIX_EN,
      no_write_permission: `Use a writable folder. ${ENV_FIX_EN}`,
      locked: "Run one bot process per SQLite file; for several processes use PostgreSQL.",
      cannot_open: `Check the path and its permissions. ${ENV_FIX_EN}`,
      not_a_database: "Point DATABASE_URL at another file, or restore a backup.",
      unique_violation: ENV_FIX_EN,
      other: ENV_FIX_EN,
    },
  },
  "zh-CN": {
    configInvalid: (lines: string) => `配置有误：\n${lines}\n每个变量的说明见 .env.example。`,
    usage: (message: string) => message,
    userError: (message: string) => message,
    invalidJudgement: (details: string) => `评估模型的回答与评分标准不符：${details}`,
    patternInvalid: (problem: string, detail: string, column: number | null) =>
      `规则写法有误：${problem}${detail ? `（${detail}）` : ""}${column === null ? "" : `，在第 ${column} 个字符处`}`,
    llmRefused: (detail: string) => `语言模型拒绝了请求：${detail}`,
    llmUnreachable: (detail: string) => `无法连接语言模型：${detail}`,
    llmAttemptTimedOut: "语言模型在单次请求的时限内没有回答",
    llmCallCancelled: "语言模型调用已取消",
    llmNotConfigured: (missing: string) => `未配置语言模型（缺少：${missing}）`,
    sessionAlreadyActive: "该学员在此处已有进行中的练习",
    reportOutputFailed: "报告写入失败",
    digestScheduleInvalid: (pattern: string, reason: string) =>
      `REPORT_DIGEST_CRON「${pattern}」不是有效的 cron 表达式：${reason}`,
    databaseUrlInvalid: (shown: string) =>
      `无法识别 DATABASE_URL「${shown}」。可用的写法：sqlite:./data/roleplay.sqlite、sqlite::memory:、以 .sqlite、.sqlite3 或 .db 结尾的文件路径，或 postgres://user:password@host:5432/database。`,
    databaseTooNew: (databaseVersion: number, knownVersion: number) =>
      `数据库结构版本为 ${databaseVersion}，比本程序支持的版本（${knownVersion}）更新；请升级机器人。`,
    databaseOpenFailed: (database: string, reason: string, advice: string) =>
      `无法打开数据库（${database}）：${reason}。${advice}`,
    databaseReason: {
      refused: "该主机和端口没有响应",
      unknown_host: "无法解析主机名",
      timeout: "连接超时",
      auth: "用户名或密码被拒绝",
      no_database: "该数据库不存在",
      no_ddl_rights: "该用户无权在此建表",
      path_blocked: "路径中本应是文件夹的位置是一个文件",
      no_write_permission: "没有写入权限",
      locked: "文件被另一个进程锁定",
      cannot_open: "无法打开该文件",
      not_a_database: "该文件不是可用的 SQLite 数据库",
      unique_violation: "已存在相同键的记录",
    },
    databaseAdvice: {
      refused: `PostgreSQL 是否在该地址运行？${ENV_FIX_ZH}`,
      unknown_host: ENV_FIX_ZH,
      timeout: `从这里能否访问该服务器？${ENV_FIX_ZH}`,
      auth: ENV_FIX_ZH,
      no_database: "请先创建它（例如：createdb NAME），或修改 DATABASE_URL。",
      no_ddl_rights: "请授予该用户权限，或在 DATABASE_URL 中换一个用户。",
      path_blocked: ENV_FIX_ZH,
      no_write_permission: `请使用可写的文件夹。${ENV_FIX_ZH}`,
      locked: "每个 SQLite 文件只运行一个机器人进程；多个进程请使用 PostgreSQL。",
      cannot_open: `请检查路径及其权限。${ENV_FIX_ZH}`,
      not_a_database: "请将 DATABASE_URL 指向另一个文件，或从备份恢复。",
      unique_violation: ENV_FIX_ZH,
      other: ENV_FIX_ZH,
    },
  },
});
