// The masker against a generated corpus: thousands of personal-data strings in many spellings
// (leaks) and ordinary numbers (over-masking). Targets from issue 10: no leaks, at most 1 % of
// ordinary numbers changed.
import { describe, expect, it } from "vitest";
import { redact, redactTurn } from "../../src/roleplay/privacy/index.ts";
import { cardNumber, leaks, mobile, ordinaryCases, personalCases, residentId, rng } from "../support/pii-corpus.ts";

const PER_KIND = 150;

describe("the masking corpus", () => {
  it("leaks no personal data, in any spelling, in Chinese or English sentences", () => {
    const cases = personalCases(PER_KIND, 20261129);
    expect(cases.length).toBeGreaterThanOrEqual(3000);
    const byKind = new Map<string, { total: number; leaked: string[] }>();
    for (const c of cases) {
      const entry = byKind.get(c.kind) ?? { total: 0, leaked: [] };
      entry.total++;
      for (const language of ["zh-CN", "en"] as const) {
        const out = redact(c.text, language).text;
        if (leaks(out, c.secret)) {
          entry.leaked.push(`${c.text} => ${out}`);
          break;
        }
      }
      byKind.set(c.kind, entry);
    }
    const report = [...byKind].map(([k, v]) => `${k}: ${v.leaked.length}/${v.total}`).join(", ");
    const examples = [...byKind.values()].flatMap((v) => v.leaked.slice(0, 3));
    expect({ report, examples }).toEqual({ report: report.replace(/: \d+\//g, ": 0/"), examples: [] });
  });

  it("changes at most 1 % of ordinary numbers: amounts, dates, times, references, branch codes", () => {
    const cases = ordinaryCases(30, 7);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const changed = cases.filter((c) => redact(c.text, "zh-CN").text !== c.text);
    const examples = changed.slice(0, 10).map((c) => `${c.kind}: ${c.text} => ${redact(c.text, "zh-CN").text}`);
    expect(changed.length / cases.length, examples.join("\n")).toBeLessThanOrEqual(0.01);
  });

  it("a number split over two messages of a session is masked in both, wherever it is cut", () => {
    const r = rng(99);
    const leaked: string[] = [];
    const makers = [cardNumber, mobile, residentId];
    const leads = ["我的卡号是", "", "号码 ", "my card is ", "手机", "身份证"];
    for (let i = 0; i < 300; i++) {
      const secret = (makers[i % 3] as (r: () => number) => string)(r);
      const cut = 3 + Math.floor(r() * (secret.length - 6));
      const lead = leads[Math.floor(r() * leads.length)] ?? "";
      const first = redactTurn(`${lead}${secret.slice(0, cut)}`, "zh-CN");
      const second = redactTurn(`${secret.slice(cut)}${r() < 0.5 ? "" : "，对吧"}`, "zh-CN", first.text);
      const stored = `${second.previous ?? first.text}\n${second.text}`;
      if (leaks(stored.replace("\n", " "), secret) || leaks(second.text, secret.slice(cut)))
        leaked.push(`${lead}${secret.slice(0, cut)} | ${secret.slice(cut)} => ${stored}`);
    }
    expect(leaked.slice(0, 10)).toEqual([]);
  });
});
