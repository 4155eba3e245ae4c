// What the checker tells a trainer about a persona or rubric file, in both languages. Every
// problem says what is wrong and how to fix it, because the reader edits YAML by hand and is
// not a programmer.
import type { PatternProblem } from "../evaluation/detectors/pattern.ts";
import { defineMessages } from "../i18n/index.ts";

/** One problem in words: what is wrong, and what to do about it. */
export interface ProblemWords {
  problem: string;
  fix: string;
}

type Kind = "persona" | "rubric";

const enKind = (k: Kind) => (k === "persona" ? "persona" : "rubric");
const zhKind = (k: Kind) => (k === "persona" ? "客户角色" : "评分标准");
const enList = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");
const zhList = (values: readonly string[]) => values.map((v) => `“${v}”`).join("、");

export const problemText = defineMessages({
  en: {
    fileTooBig: (kb: number): ProblemWords => ({
      problem: `the file is ${kb} KB; the limit is 256 KB`,
      fix: "split it into several personas or shorten the texts",
    }),
    unreadable: (code: string): ProblemWords => ({
      problem: `the file cannot be read (${code})`,
      fix: "check that it exists and that you may read it",
    }),
    bom: (): ProblemWords => ({
      problem: "the file starts with a byte-order mark (BOM)",
      fix: 'save it again as "UTF-8" (without BOM)',
    }),
    notUtf8: (): ProblemWords => ({
      problem: "this line is not valid UTF-8 text",
      fix: "save the file with the UTF-8 encoding (not GBK or UTF-16)",
    }),
    empty: (kind: Kind): ProblemWords => ({
      problem: "the file is empty",
      fix: `write a ${enKind(kind)} in it (copy a shipped one to start), or delete it`,
    }),
    tab: (): ProblemWords => ({
      problem: "a tab character is used for indentation; YAML allows spaces only",
      fix: "replace each tab at the start of the line with spaces (two per level); most editors can show tabs",
    }),
    fullWidthColon: (key: string): ProblemWords => ({
      problem: `"${key}" is followed by a full-width colon "："`,
      fix: `use the ASCII colon and a space: "${key}: ..." (switch the keyboard to English for the colon)`,
    }),
    duplicateKey: (key: string): ProblemWords => ({
      problem: `the field "${key}" is written twice`,
      fix: "keep one of them and delete the other",
    }),
    yamlSyntax: (detail: string): ProblemWords => ({
      problem: `YAML syntax error: ${detail}`,
      fix: "check the indentation, colons and quotes on this line and the line above; only the first syntax error is shown",
    }),
    notAMapping: (kind: Kind): ProblemWords => ({
      problem: `the file must hold one ${enKind(kind)} (lines of "key: value"), not a list or a single value`,
      fix: "start from a shipped file and keep its shape",
    }),
    unknownField: (key: string, suggestion: string | null): ProblemWords => ({
      problem: `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      fix: suggestion
        ? `rename it to "${suggestion}"`
        : "check the spelling and the indentation; the fields are listed in personas/README.md",
    }),
    missingField: (field: string): ProblemWords => ({
      problem: `the required field "${field}" is missing`,
      fix: `add a line "${field.split(".").pop()}: ..." (see the field table in personas/README.md)`,
    }),
    wrongType: (field: string, expected: string): ProblemWords => ({
      problem: `"${field}" should be ${enType(expected)}`,
      fix: `write ${enType(expected)} there`,
    }),
    notOneOf: (field: string, value: string, allowed: readonly string[], suggestion: string | null): ProblemWords => ({
      problem: `"${field}" is "${value}", which is not one of ${enList(allowed)}${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      fix: suggestion ? `write "${suggestion}"` : `write one of ${enList(allowed)}`,
    }),
    badFormat: (field: string, example: string): ProblemWords => ({
      problem: `"${field}" may hold only lowercase letters, digits and dashes`,
      fix: `write it like "${example}"`,
    }),
    emptyText: (field: string): ProblemWords => ({
      problem: `"${field}" is empty`,
      fix: "write the text, or delete the line if the field is optional",
    }),
    tooFew: (field: string, min: number): ProblemWords => ({
      problem: `"${field}" needs at least ${min} item${min === 1 ? "" : "s"}`,
      fix: 'add items as lines starting with "- "',
    }),
    outOfRange: (field: string, min: number | null, max: number | null): ProblemWords => ({
      problem: `"${field}" is out of range${min !== null && max !== null ? ` (${min} to ${max})` : min !== null ? ` (at least ${min})` : max !== null ? ` (at most ${max})` : ""}`,
      fix: "write a whole number within the range",
    }),
    scoreKey: (field: string): ProblemWords => ({
      problem: `"${field}" is not a score`,
      fix: 'name each level by its score, e.g. "1", "3", "5"',
    }),
    httpsUrl: (field: string): ProblemWords => ({
      problem: `"${field}" is not an https:// web address`,
      fix: "write an image address starting with https://, or delete the line",
    }),
    invalid: (field: string, detail: string): ProblemWords => ({
      problem: `"${field}": ${detail}`,
      fix: "see the field table in personas/README.md",
    }),
    swallowedKey: (key: string, host: string, hostLine: number, indent: number): ProblemWords => ({
      problem: `"${key}:" is read as part of the text of "${host}" (line ${hostLine}), not as a field, because of its indentation`,
      fix: `start "${key}:" at the same indentation as the other fields at that level (${indent} space${indent === 1 ? "" : "s"})`,
    }),
    idMismatch: (id: string, file: string, stem: string): ProblemWords => ({
      problem: `the id "${id}" differs from the file name "${file}"; they must match`,
      fix: `rename the file to "${id}.yaml", or change the line to "id: ${stem}"`,
    }),
    archetypeTypo: (value: string, suggestion: string): ProblemWords => ({
      problem: `the archetype "${value}" is not known (did you mean "${suggestion}"?)`,
      fix: `write "${suggestion}"; an archetype of your own is fine, but not one that close to a known one`,
    }),
    openingRequired: (): ProblemWords => ({
      problem: "the customer opens this conversation, but there is no opening line",
      fix: 'add "opening:" with one or more lines, or set "who_opens: trainee"',
    }),
    idReused: (id: string, at: string): ProblemWords => ({
      problem: `the id "${id}" is already used at ${at}`,
      fix: "give each trigger, fact and check its own id",
    }),
    walkOutNotBelowSatisfied: (): ProblemWords => ({
      problem: "emotion.walk_out_at must be lower than emotion.satisfied_at",
      fix: "lower walk_out_at or raise satisfied_at (moods go from 1, most upset, to 5)",
    }),
    weightsSum: (sum: number): ProblemWords => ({
      problem: `the weights add up to ${sum}; they must add up to 100`,
      fix: "change the weights of the criteria so their sum is 100",
    }),
    scaleOrder: (): ProblemWords => ({
      problem: "scale.min must be lower than scale.max",
      fix: "swap or correct the two numbers",
    }),
    levelOutsideScale: (level: number, min: number, max: number): ProblemWords => ({
      problem: `level ${level} is outside the scale ${min}-${max}`,
      fix: `use level keys from ${min} to ${max}`,
    }),
    patternInvalid: (pattern: string, code: PatternProblem, detail: string): ProblemWords => ({
      problem: `the detector pattern "${pattern}" cannot be read: ${enPattern[code](detail)}`,
      fix: 'correct it as "Detector patterns" in personas/README.md describes',
    }),
    levelEnds: (min: number, max: number): ProblemWords => ({
      problem: `the lowest (${min}) or the top (${max}) level is not described`,
      fix: `describe at least levels ${min} and ${max}`,
    }),
    rubricDuplicate: (id: string, language: string, other: string): ProblemWords => ({
      problem: `the rubric id "${id}" for language ${language} is already defined in ${other}`,
      fix: "give this rubric another id, or delete one of the two files",
    }),
    rubricOnlyIn: (rubric: string, languages: readonly string[], language: string): ProblemWords => ({
      problem: `the rubric "${rubric}" exists only in ${languages.join(", ")}, not in this persona's language ${language}`,
      fix: `add prompts/rubrics/${rubric}.${language}.yaml, or choose another rubric`,
    }),
    rubricMissing: (rubric: string): ProblemWords => ({
      problem: `the rubric "${rubric}" does not exist`,
      fix: 'write the id of a file in prompts/rubrics/ (for example "default"), or add that rubric',
    }),
    personaDuplicate: (id: string, other: string): ProblemWords => ({
      problem: `the persona id "${id}" is already used by ${other}`,
      fix: "give every persona its own id (and file name)",
    }),
  },
  "zh-CN": {
    fileTooBig: (kb: number): ProblemWords => ({
      problem: `文件有 ${kb} KB，上限是 256 KB`,
      fix: "拆成几个角色，或把文字写短一些",
    }),
    unreadable: (code: string): ProblemWords => ({
      problem: `无法读取这个文件（${code}）`,
      fix: "确认文件存在，并且有读取权限",
    }),
    bom: (): ProblemWords => ({
      problem: "文件开头有字节顺序标记（BOM）",
      fix: "用“UTF-8（无 BOM）”编码重新保存",
    }),
    notUtf8: (): ProblemWords => ({
      problem: "这一行不是有效的 UTF-8 文字",
      fix: "用 UTF-8 编码保存文件（不要用 GBK 或 UTF-16）",
    }),
    empty: (kind: Kind): ProblemWords => ({
      problem: "文件是空的",
      fix: `在里面写一个${zhKind(kind)}（可以先复制一个自带的文件），或者删除这个文件`,
    }),
    tab: (): ProblemWords => ({
      problem: "缩进用了制表符（Tab）；YAML 只允许用空格缩进",
      fix: "把行首的 Tab 换成空格（每一级两个空格）；多数编辑器可以显示 Tab",
    }),
    fullWidthColon: (key: string): ProblemWords => ({
      problem: `“${key}”后面是全角冒号“：”`,
      fix: `改成半角冒号加一个空格：“${key}: ...”（输入冒号时切换到英文输入法）`,
    }),
    duplicateKey: (key: string): ProblemWords => ({
      problem: `字段“${key}”写了两次`,
      fix: "保留一个，删掉另一个",
    }),
    yamlSyntax: (detail: string): ProblemWords => ({
      problem: `YAML 语法错误：${detail}`,
      fix: "检查这一行和上一行的缩进、冒号和引号；只显示文件中的第一个语法错误",
    }),
    notAMapping: (kind: Kind): ProblemWords => ({
      problem: `文件里应该是一个${zhKind(kind)}（“字段: 内容”形式的行），而不是列表或单个值`,
      fix: "从一个自带的文件开始改，保持它的结构",
    }),
    unknownField: (key: string, suggestion: string | null): ProblemWords => ({
      problem: `未知字段“${key}”${suggestion ? `（是不是想写“${suggestion}”？）` : ""}`,
      fix: suggestion ? `改成“${suggestion}”` : "检查拼写和缩进；所有字段见 personas/README.md",
    }),
    missingField: (field: string): ProblemWords => ({
      problem: `缺少必填字段“${field}”`,
      fix: `加上一行“${field.split(".").pop()}: ...”（字段表见 personas/README.md）`,
    }),
    wrongType: (field: string, expected: string): ProblemWords => ({
      problem: `“${field}”应该是 ${zhType(expected)}`,
      fix: `在这里写 ${zhType(expected)}`,
    }),
    notOneOf: (field: string, value: string, allowed: readonly string[], suggestion: string | null): ProblemWords => ({
      problem: `“${field}”的值“${value}”不在可选值 ${zhList(allowed)} 之中${suggestion ? `（是不是想写“${suggestion}”？）` : ""}`,
      fix: suggestion ? `改成“${suggestion}”` : `从 ${zhList(allowed)} 中选一个`,
    }),
    badFormat: (field: string, example: string): ProblemWords => ({
      problem: `“${field}”只能包含小写英文字母、数字和连字符`,
      fix: `照这个样子写：“${example}”`,
    }),
    emptyText: (field: string): ProblemWords => ({
      problem: `“${field}”是空的`,
      fix: "写上内容；如果是可选字段，也可以删掉这一行",
    }),
    tooFew: (field: string, min: number): ProblemWords => ({
      problem: `“${field}”至少需要 ${min} 项`,
      fix: "以“- ”开头逐行添加",
    }),
    outOfRange: (field: string, min: number | null, max: number | null): ProblemWords => ({
      problem: `“${field}”超出范围${min !== null && max !== null ? `（${min} 到 ${max}）` : min !== null ? `（至少 ${min}）` : max !== null ? `（最多 ${max}）` : ""}`,
      fix: "写一个范围内的整数",
    }),
    scoreKey: (field: string): ProblemWords => ({
      problem: `“${field}”不是一个分数`,
      fix: "每个等级用它的分数命名，例如“1”“3”“5”",
    }),
    httpsUrl: (field: string): ProblemWords => ({
      problem: `“${field}”不是 https:// 开头的网址`,
      fix: "写一个以 https:// 开头的图片地址，或者删掉这一行",
    }),
    invalid: (field: string, detail: string): ProblemWords => ({
      problem: `“${field}”：${detail}`,
      fix: "字段说明见 personas/README.md",
    }),
    swallowedKey: (key: string, host: string, hostLine: number, indent: number): ProblemWords => ({
      problem: `因为缩进不对，“${key}:”被当成了“${host}”（第 ${hostLine} 行）文字的一部分，而不是一个字段`,
      fix: `让“${key}:”和同一级的其他字段对齐（缩进 ${indent} 个空格）`,
    }),
    idMismatch: (id: string, file: string, stem: string): ProblemWords => ({
      problem: `id“${id}”和文件名“${file}”不一致，两者必须相同`,
      fix: `把文件改名为“${id}.yaml”，或把这一行改成“id: ${stem}”`,
    }),
    archetypeTypo: (value: string, suggestion: string): ProblemWords => ({
      problem: `类型（archetype）“${value}”不认识（是不是想写“${suggestion}”？）`,
      fix: `改成“${suggestion}”；可以自创类型，但不要和已有类型只差一两个字母`,
    }),
    openingRequired: (): ProblemWords => ({
      problem: "这场对话由客户先开口，但没有开场白",
      fix: "加上“opening:”并写一句或几句开场白，或者改成“who_opens: trainee”",
    }),
    idReused: (id: string, at: string): ProblemWords => ({
      problem: `id“${id}”已经在 ${at} 用过`,
      fix: "每个触发条件、事实和检查项都要有自己的 id",
    }),
    walkOutNotBelowSatisfied: (): ProblemWords => ({
      problem: "emotion.walk_out_at 必须低于 emotion.satisfied_at",
      fix: "调低 walk_out_at 或调高 satisfied_at（情绪从 1 最差到 5 最好）",
    }),
    weightsSum: (sum: number): ProblemWords => ({
      problem: `各项权重加起来是 ${sum}，必须正好是 100`,
      fix: "调整各评分项的 weight，使总和为 100",
    }),
    scaleOrder: (): ProblemWords => ({
      problem: "scale.min 必须小于 scale.max",
      fix: "对调或改正这两个数",
    }),
    levelOutsideScale: (level: number, min: number, max: number): ProblemWords => ({
      problem: `等级 ${level} 超出了评分范围 ${min}-${max}`,
      fix: `等级只能用 ${min} 到 ${max}`,
    }),
    patternInvalid: (pattern: string, code: PatternProblem, detail: string): ProblemWords => ({
      problem: `检测规则“${pattern}”无法识别：${zhPattern[code](detail)}`,
      fix: "按 personas/README.md 中“检测规则”一节的写法改正",
    }),
    levelEnds: (min: number, max: number): ProblemWords => ({
      problem: `没有描述最低（${min}）或最高（${max}）等级`,
      fix: `至少描述等级 ${min} 和 ${max}`,
    }),
    rubricDuplicate: (id: string, language: string, other: string): ProblemWords => ({
      problem: `语言 ${language} 的评分标准 id“${id}”已经在 ${other} 里定义过`,
      fix: "给这个评分标准换一个 id，或删掉两个文件中的一个",
    }),
    rubricOnlyIn: (rubric: string, languages: readonly string[], language: string): ProblemWords => ({
      problem: `评分标准“${rubric}”只有 ${languages.join("、")} 版本，没有这个角色的语言 ${language}`,
      fix: `添加 prompts/rubrics/${rubric}.${language}.yaml，或换一个评分标准`,
    }),
    rubricMissing: (rubric: string): ProblemWords => ({
      problem: `评分标准“${rubric}”不存在`,
      fix: "写 prompts/rubrics/ 里某个文件的 id（例如“default”），或者添加这个评分标准",
    }),
    personaDuplicate: (id: string, other: string): ProblemWords => ({
      problem: `角色 id“${id}”已经被 ${other} 使用`,
      fix: "每个角色都要有自己的 id（和文件名）",
    }),
  },
});

/** How a problem line is laid out: where, what, and the fix. */
export const problemLayout = defineMessages({
  en: {
    line: (where: string, field: string | null, problem: string, fix: string) =>
      `${where}: ${field ? `[${field}] ` : ""}${problem}. Fix: ${fix}.`,
  },
  "zh-CN": {
    line: (where: string, field: string | null, problem: string, fix: string) =>
      `${where}：${field ? `[${field}] ` : ""}${problem}。改法：${fix}。`,
  },
});

function enType(t: string): string {
  switch (t) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "array":
      return 'a list (lines starting with "- ")';
    case "object":
      return "a group of fields (indented key: value lines)";
    case "boolean":
      return "true or false";
    default:
      return t;
  }
}

function zhType(t: string): string {
  switch (t) {
    case "string":
      return "文字";
    case "number":
      return "数字";
    case "int":
      return "整数";
    case "array":
      return "列表（以“- ”开头的行）";
    case "object":
      return "一组字段（缩进的“字段: 内容”行）";
    case "boolean":
      return "true 或 false";
    default:
      return t;
  }
}

/** What is wrong inside a detector pattern, in each language. */
const enPattern: Record<PatternProblem, (detail: string) => string> = {
  empty: () => "it is empty",
  unclosedBracket: () => 'a "(" is never closed',
  unopenedBracket: () => 'a ")" has no "(" before it',
  unclosedBrace: () => 'a "{" is never closed',
  unopenedBrace: () => 'a "}" has no "{" before it',
  emptyChoice: () => "a choice is empty (nothing between | and a bracket)",
  badLexiconName: (d) => `"{${d}}" is not a word-list name (lowercase letters and dashes)`,
  unknownLexicon: (d) => `there is no word list {${d.split(":")[0]}}; the lists are:${d.split(":")[1] ?? ""}`,
  selfLexicon: (d) => `the word list {${d}} refers to itself`,
  gapRange: (d) => `a gap of ${d}: use ..1 to ..30`,
  misplacedOptional: () => '"?" must follow a word, a character or a bracket',
  trailingEscape: () => 'it ends with "\\", which has nothing to escape',
  matchesEmpty: () => "it would match any text: give it at least one word that must be there",
};
const zhPattern: Record<PatternProblem, (detail: string) => string> = {
  empty: () => "规则是空的",
  unclosedBracket: () => "有一个“(”没有配对的“)”",
  unopenedBracket: () => "有一个“)”前面没有“(”",
  unclosedBrace: () => "有一个“{”没有配对的“}”",
  unopenedBrace: () => "有一个“}”前面没有“{”",
  emptyChoice: () => "有一个选项是空的（| 和括号之间什么也没有）",
  badLexiconName: (d) => `“{${d}}”不是词表名（只能用小写字母和短横线）`,
  unknownLexicon: (d) => `没有名为 {${d.split(":")[0]}} 的词表；可用的词表：${d.split(":")[1] ?? ""}`,
  selfLexicon: (d) => `词表 {${d}} 引用了它自己`,
  gapRange: (d) => `间隔 ${d} 超出范围：只能写 ..1 到 ..30`,
  misplacedOptional: () => "“?”只能跟在字、词或括号后面",
  trailingEscape: () => "以“\\”结尾，后面没有要转义的字符",
  matchesEmpty: () => "它能匹配任何文字：至少写一个必须出现的词",
};

type Texts = ReturnType<typeof problemText>;
export type ProblemCode = keyof Texts;

/** A problem as data: rendered in the reader's language only when shown. */
export type ProblemText = { [K in ProblemCode]: { code: K; args: Parameters<Texts[K]> } }[ProblemCode];

export function say<K extends ProblemCode>(code: K, ...args: Parameters<Texts[K]>): ProblemText {
  return { code, args } as ProblemText;
}

export function wordsFor(text: ProblemText, language: "en" | "zh-CN"): ProblemWords {
  const render = problemText(language)[text.code] as (...a: unknown[]) => ProblemWords;
  return render(...text.args);
}
