import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, readEnvironment, variableNames } from "../../src/config.ts";

describe("configuration", () => {
  it("works with nothing set: SQLite under ./data, Chinese, no model yet", () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe("sqlite:./data/roleplay.sqlite");
    expect(c.language).toBe("zh-CN");
    expect(c.llm).toBeNull();
    expect(c.llmMissing.join(" ")).toMatch(/LLM_MODEL/);
    expect(c.platforms).toEqual({});
  });

  it("per-role settings fall back to the shared ones, and OPENAI_* are accepted", () => {
    const c = loadConfig({
      OPENAI_API_KEY: "k",
      LLM_MODEL: "m",
      JUDGE_MODEL: "careful",
      JUDGE_BASE_URL: "http://localhost:8000/v1",
    });
    expect(c.llm?.customer).toEqual({
      baseUrl: "https://api.openai.com/v1",
      apiKey: "k",
      model: "m",
      temperature: 0.8,
    });
    expect(c.llm?.judge).toEqual({
      baseUrl: "http://localhost:8000/v1",
      apiKey: "k",
      model: "careful",
      temperature: 0,
    });
    expect(
      loadConfig({ LLM_API_KEY: "k", LLM_MODEL: "m", JUDGE_TEMPERATURE: "none" }).llm?.judge.temperature,
    ).toBeNull();
  });

  it("names every wrong variable with what it expects, never the value", () => {
    try {
      loadConfig({
        LLM_BASE_URL: "localhost:11434",
        LLM_TIMEOUT_MS: "fast",
        BOT_LANGUAGE: "fr",
        TELEGRAM_BOT_TOKEN: "secret-but-malformed",
        LLM_STRUCTURED_OUTPUT: "xml",
        TELEGRAM_MANAGER_IDS: "12, abc",
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.problems.map((p) => p.variable).sort()).toEqual(
        [
          "BOT_LANGUAGE",
          "LLM_BASE_URL",
          "LLM_STRUCTURED_OUTPUT",
          "LLM_TIMEOUT_MS",
          "TELEGRAM_BOT_TOKEN",
          "TELEGRAM_MANAGER_IDS",
        ].sort(),
      );
      expect(err.message).not.toContain("secret-but-malformed");
      expect(err.message).toContain("zh-CN or en");
    }
  });

  it("cross-field rules are checked after the fields", () => {
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_URL: "https://bot.example.com/hook" })).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => loadConfig({ REPORT_DIGEST_CRON: "0 9 * * 1" })).toThrow(/REPORT_DIGEST_DISCORD_CHANNEL_ID/);
  });

  it("the real environment wins over .env", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-"));
    const file = path.join(dir, ".env");
    fs.writeFileSync(file, "LLM_MODEL=from-file\nBOT_LANGUAGE=en\n");
    const vars = readEnvironment({ LLM_MODEL: "from-env" }, file);
    expect(vars.LLM_MODEL).toBe("from-env");
    expect(vars.BOT_LANGUAGE).toBe("en");
  });

  it("reads TIME_ZONE as an IANA zone, defaults to the process's zone, and names a bad one", () => {
    expect(loadConfig({ TIME_ZONE: "Asia/Shanghai" }).timeZone).toBe("Asia/Shanghai");
    expect(loadConfig({ TIME_ZONE: " Europe/London " }).timeZone).toBe("Europe/London");
    expect(loadConfig({}).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(loadConfig({ TIME_ZONE: "" }).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    try {
      loadConfig({ TIME_ZONE: "Mars/Olympus_Mons" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.problems.map((p) => p.variable)).toEqual(["TIME_ZONE"]);
      expect(err.message).toContain("Asia/Shanghai");
      expect(err.message).not.toContain("Mars/Olympus_Mons");
    }
  });

  it("reads the PostgreSQL pool size, 10 by default, and refuses one that is not a positive whole number", () => {
    expect(loadConfig({}).databasePoolMax).toBe(10);
    expect(loadConfig({ DATABASE_POOL_MAX: "40" }).databasePoolMax).toBe(40);
    expect(() => loadConfig({ DATABASE_POOL_MAX: "0" })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => loadConfig({ DATABASE_POOL_MAX: "many" })).toThrow(/DATABASE_POOL_MAX/);
  });

  it(".env.example documents every variable the tool reads", () => {
    const example = fs.readFileSync(path.resolve(import.meta.dirname, "../../.env.example"), "utf8");
    for (const name of variableNames()) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});
