import { describe, expect, it } from "vitest";
import { OUTCOMES } from "../../src/domain/session.ts";
import type { Language } from "../../src/i18n/index.ts";
import { CONSOLE_COMMANDS } from "../../src/platforms/console/index.ts";
import { DISCORD_COMMANDS } from "../../src/platforms/discord/messages.ts";
import { TELEGRAM_COMMANDS } from "../../src/platforms/telegram/messages.ts";
import { type CommandHints, ENGINE_ERROR_CODES, NOTICE_CODES, roleplayMessages } from "../../src/roleplay/messages.ts";

const LANGUAGES: Language[] = ["en", "zh-CN"];
const PLATFORMS: Array<[string, CommandHints]> = [
  ["console", CONSOLE_COMMANDS],
  ["telegram", TELEGRAM_COMMANDS],
  ["discord", DISCORD_COMMANDS],
];
const CJK = /[\u4e00-\u9fff]/;

/** Every sentence the shared messages can produce, labelled for failure messages. */
function allSentences(language: Language, commands: CommandHints): Array<[string, string]> {
  const m = roleplayMessages(language);
  return [
    ...ENGINE_ERROR_CODES.map((c): [string, string] => [`error ${c}`, m.error(c, commands)]),
    ...ENGINE_ERROR_CODES.map((c): [string, string] => [`error ${c} with detail`, m.error(c, commands, "x-1")]),
    ...NOTICE_CODES.map((c): [string, string] => [`notice ${c}`, m.notice(c, commands)]),
    ...OUTCOMES.map((o): [string, string] => [`ended ${o}`, m.ended(o)]),
  ];
}

describe("the trainee-facing sentences shared by every platform", () => {
  for (const language of LANGUAGES) {
    it(`give a non-empty sentence for every code and outcome in ${language}`, () => {
      for (const [, commands] of PLATFORMS) {
        for (const [label, sentence] of allSentences(language, commands)) {
          expect(sentence.trim(), label).not.toBe("");
          expect(sentence, label).not.toMatch(/undefined|\[object/);
        }
      }
    });
  }

  it("are in Chinese in zh-CN and not in English", () => {
    for (const [label, sentence] of allSentences("zh-CN", TELEGRAM_COMMANDS)) expect(sentence, label).toMatch(CJK);
    for (const [label, sentence] of allSentences("en", TELEGRAM_COMMANDS)) expect(sentence, label).not.toMatch(CJK);
  });

  it("differ between the two languages", () => {
    const en = allSentences("en", TELEGRAM_COMMANDS);
    const zh = allSentences("zh-CN", TELEGRAM_COMMANDS);
    en.forEach(([label, sentence], i) => {
      expect(zh[i]?.[1], label).not.toBe(sentence);
    });
  });

  it("name each platform's own commands where they tell the trainee what to do", () => {
    for (const language of LANGUAGES) {
      const m = roleplayMessages(language);
      for (const [platform, commands] of PLATFORMS) {
        expect(m.error("session_already_active", commands), platform).toContain(commands.end);
        expect(m.error("no_active_session", commands), platform).toContain(commands.start);
        expect(m.error("persona_not_found", commands, "nope"), platform).toContain(commands.personas);
        expect(m.notice("evaluation_skipped", commands), platform).toContain(commands.start);
      }
    }
  });

  it("quote the persona id a trainee asked for", () => {
    expect(roleplayMessages("en").error("persona_not_found", TELEGRAM_COMMANDS, "no-such")).toContain('"no-such"');
    expect(roleplayMessages("zh-CN").error("persona_not_found", TELEGRAM_COMMANDS, "no-such")).toContain("“no-such”");
  });
});
