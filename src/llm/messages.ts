// Text of `roleplay llm check`, in both languages.
import { defineMessages } from "../i18n/index.ts";

export const llmCheckMessages = defineMessages({
  en: {
    title: (mode: string) => `LLM check (structured output mode: ${mode})`,
    role: (role: string, model: string, host: string) =>
      `${role === "customer" ? "Customer" : "Judge"} model ${model} at ${host}`,
    reachable: "reachable",
    unreachable: "not reachable",
    modelFound: "model found",
    modelMissing: "model not found",
    modelUnknown: "model not confirmed",
    jsonSchemaYes: "json_schema supported",
    jsonSchemaNo: "json_schema not supported",
    jsonSchemaUnknown: "json_schema not tested",
    jsonObjectYes: "json_object works",
    jsonObjectNo: "json_object fails",
    latency: (ms: number) => `${ms} ms`,
    error: (text: string) => `error: ${text}`,
    hintJsonObject: "hint: this provider rejects json_schema; set LLM_STRUCTURED_OUTPUT=json_object.",
    hintAuth: (prefix: string) => `hint: the API key was rejected; check ${prefix}_API_KEY (or LLM_API_KEY).`,
    hintModel: (prefix: string) => `hint: the provider does not know this model; check ${prefix}_MODEL (or LLM_MODEL).`,
    hintUnreachable: (prefix: string) =>
      `hint: check ${prefix}_BASE_URL (or LLM_BASE_URL; it usually ends in /v1) and the network.`,
    ok: "All LLM checks passed.",
    failed: "Some LLM checks failed.",
  },
  "zh-CN": {
    title: (mode: string) => `大模型检查（结构化输出模式：${mode}）`,
    role: (role: string, model: string, host: string) =>
      `${role === "customer" ? "客户" : "评分"}模型 ${model}（${host}）`,
    reachable: "可连接",
    unreachable: "无法连接",
    modelFound: "模型存在",
    modelMissing: "找不到模型",
    modelUnknown: "模型未确认",
    jsonSchemaYes: "支持 json_schema",
    jsonSchemaNo: "不支持 json_schema",
    jsonSchemaUnknown: "json_schema 未测试",
    jsonObjectYes: "json_object 可用",
    jsonObjectNo: "json_object 不可用",
    latency: (ms: number) => `${ms} 毫秒`,
    error: (text: string) => `错误：${text}`,
    hintJsonObject: "提示：该服务不支持 json_schema，请设置 LLM_STRUCTURED_OUTPUT=json_object。",
    hintAuth: (prefix: string) => `提示：API 密钥被拒绝，请检查 ${prefix}_API_KEY（或 LLM_API_KEY）。`,
    hintModel: (prefix: string) => `提示：服务方不认识这个模型，请检查 ${prefix}_MODEL（或 LLM_MODEL）。`,
    hintUnreachable: (prefix: string) => `提示：请检查 ${prefix}_BASE_URL（或 LLM_BASE_URL，通常以 /v1 结尾）和网络。`,
    ok: "大模型检查全部通过。",
    failed: "部分大模型检查未通过。",
  },
});
