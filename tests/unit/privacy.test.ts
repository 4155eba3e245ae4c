import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import { redact, redactLogText, redactTurn } from "../../src/roleplay/privacy/index.ts";
import { cardNumber, rng } from "../support/pii-corpus.ts";

const zh = (t: string) => redact(t, "zh-CN");

describe("personal data is masked before it leaves the process", () => {
  it.each([
    ["我的卡号是6222021234567890123", "6222021234567890123"],
    ["卡号 6222 0212 3456 7890", "6222 0212 3456 7890"],
    ["卡号6222-0212-3456-7890", "6222-0212-3456-7890"],
    ["卡号是６２２２０２１２３４５６７８９０", "６２２２０２１２３４５６７８９０"],
    ["card 4111 1111 1111 1111 please", "4111 1111 1111 1111"],
    ["13 digits 4222222222222 end", "4222222222222"],
  ])("a card number: %s", (input, secret) => {
    const r = zh(input);
    expect(r.text).not.toContain(secret);
    expect(r.text).toContain("［卡号已隐藏］");
    expect(r.found.card).toBe(1);
  });

  it.each([
    ["身份证号110105199003071234", "110105199003071234"],
    ["身份证 11010519900307123X 对吧", "11010519900307123X"],
    ["id 11010519900307123x", "11010519900307123x"],
    ["身份证１１０１０５１９９００３０７１２３４", "１１０１０５１９９００３０７１２３４"],
  ])("a resident ID number: %s", (input, secret) => {
    const r = zh(input);
    expect(r.text).not.toContain(secret);
    expect(r.found.id_number).toBe(1);
  });

  it.each([
    ["手机13812345678", "13812345678"],
    ["电话 +86 138 1234 5678", "138 1234 5678"],
    ["+8613812345678", "13812345678"],
    ["call 0086-139-1234-5678 now", "139-1234-5678"],
  ])("a mobile number: %s", (input, secret) => {
    const r = zh(input);
    expect(r.text).not.toContain(secret);
    expect(r.found.mobile).toBe(1);
  });

  it("an e-mail address", () => {
    const r = redact("write to li.ming+bank@example.com.cn please", "en");
    expect(r.text).toBe("write to [email hidden] please");
  });

  it.each([
    ["CVV是123", "123"],
    ["cvv2: 4567", "4567"],
    ["安全码 789", "789"],
    ["密码是123456", "123456"],
  ])("a security code after its name: %s", (input, secret) => {
    const r = zh(input);
    expect(r.text.replace(/［.*?］/g, "")).not.toContain(secret);
    expect(r.found.security_code).toBe(1);
  });

  it.each([
    "取了10000元",
    "一共2000块，其中100元是假的",
    "日期2024-05-01，下午15:30",
    "订单3笔，共12单",
    "20240501那天",
    "金额1,000,000.00元",
    "第2次来了，排了45分钟",
    "工号10086",
    "年利率3.5%，期限36个月",
  ])("ordinary numbers survive: %s", (input) => {
    const r = zh(input);
    expect(r.text).toBe(input);
    expect(r.found).toEqual({});
  });

  it("several kinds in one message are all masked and counted", () => {
    const r = zh("卡号6222021234567890，身份证110105199003071234，手机13812345678");
    expect(r.found).toEqual({ card: 1, id_number: 1, mobile: 1 });
    expect(r.text).toBe("卡号［卡号已隐藏］，身份证［身份证号已隐藏］，手机［手机号已隐藏］");
  });
});

describe("ids, broken text and numbers split over two messages", () => {
  it("log masking keeps session UUIDs, named update and message ids whole, and masks the card beside them", () => {
    const lines: string[] = [];
    const log = createLogger("debug", (l) => lines.push(l));
    const sessionId = "2ceb9834-6a12-4b3c-9d8e-0123456789ab";
    log.error("turn_failed", {
      sessionId,
      updateId: "734521998",
      inboundKey: "telegram:-1001234567890:4111111111111111",
      problem: `session ${sessionId} update 734521998 failed for card 4111 1111 1111 1111`,
    });
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry.sessionId).toBe(sessionId);
    expect(entry.updateId).toBe("734521998");
    expect(entry.inboundKey).toBe("telegram:-1001234567890:4111111111111111");
    expect(entry.problem).toBe(`session ${sessionId} update 734521998 failed for card [card number hidden]`);
    expect(redactLogText(`Error in ${sessionId}: 13812345678`)).toBe(`Error in ${sessionId}: [phone number hidden]`);
  });

  it("lone surrogates (half an emoji) become U+FFFD before anything is stored", () => {
    const r = redact("好的\ud83d 谢谢\ude00", "zh-CN");
    expect(r.text).toBe("好的\ufffd 谢谢\ufffd");
    expect(/[\ud800-\udfff]/.test(r.text)).toBe(false);
  });

  it("a card number sent in two halves is masked in both messages", () => {
    const card = cardNumber(rng(42));
    expect(card.length).toBeGreaterThanOrEqual(13);
    const first = redactTurn(`我的卡号是${card.slice(0, 8)}`, "zh-CN");
    const second = redactTurn(`${card.slice(8)} 麻烦查一下`, "zh-CN", first.text);
    expect(second.text).not.toContain(card.slice(8));
    expect(second.previous ?? first.text).not.toContain(card.slice(0, 8));
    // without a keyword, the halves alone are ordinary numbers; joined they pass Luhn
    const a = redactTurn(`${card.slice(0, 10)}`, "zh-CN");
    expect(a.text).toBe(card.slice(0, 10));
    const b = redactTurn(card.slice(10), "zh-CN", a.text);
    expect(b.found.card).toBe(1);
    expect(b.text).not.toContain(card.slice(10));
    expect(b.previous).toBe("［卡号已隐藏］");
    expect(b.text).toMatch(/^［卡号已隐藏］/);
  });

  it("two ordinary messages in a row are left alone", () => {
    const b = redactTurn("2026-12-01 那天再去", "zh-CN", "我是2026-11-29去的");
    expect(b.previous).toBeUndefined();
    expect(b.text).toBe("2026-12-01 那天再去");
  });
});
