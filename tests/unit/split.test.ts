import { describe, expect, it } from "vitest";
import { splitMessage } from "../../src/platforms/split.ts";

describe("splitting long customer replies", () => {
  it("keeps a short message whole", () => {
    expect(splitMessage("您好。", 4096)).toEqual(["您好。"]);
  });

  it("splits a 9000-character Chinese reply at sentence ends, every part within 4096", () => {
    const sentence = "我昨天在你们ATM取了两千块钱，回家一看有一张是假的！";
    const text = sentence.repeat(Math.ceil(9000 / sentence.length)).slice(0, 9000 - 1) + "。";
    const parts = splitMessage(text, 4096);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    for (const p of parts.slice(0, -1)) expect(p.endsWith("！")).toBe(true);
    expect(parts.join("")).toBe(text);
  });

  it("splits English at sentence boundaries within 2000", () => {
    const text = "I want my money back. This is the third time I have called! ".repeat(90);
    const parts = splitMessage(text, 2000);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(/[.!]$/.test(p)).toBe(true);
    }
    expect(parts.join(" ").replace(/\s+/g, " ")).toBe(text.trim().replace(/\s+/g, " "));
  });

  it("cuts a single sentence longer than the limit without losing characters", () => {
    const text = "啊".repeat(5000);
    const parts = splitMessage(text, 2000);
    expect(parts.map((p) => p.length)).toEqual([2000, 2000, 1000]);
  });

  it("never splits a surrogate pair", () => {
    const text = "😀".repeat(1500);
    const parts = splitMessage(text, 2001);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2001);
    expect(parts.join("")).toBe(text);
    expect(parts[0]?.length).toBe(2000);
  });
});

describe("splitting by UTF-8 bytes (platforms that count bytes)", () => {
  it("keeps every part within the byte limit, at sentence ends, without breaking a character", () => {
    const sentence = "您好，我的订单三天了还没有发货，请帮我查一下。";
    const text = Array.from({ length: 40 }, () => sentence).join("");
    const parts = splitMessage(text, 2048, "utf8");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(2048);
      expect(p.endsWith("。")).toBe(true);
    }
    expect(parts.join("")).toBe(text);
    // By UTF-16 units the same text is one message: the unit decides.
    expect(splitMessage(text, 2048)).toHaveLength(1);
  });

  it("cuts a text without boundaries between characters, emoji included", () => {
    const text = "😀".repeat(100);
    const parts = splitMessage(text, 30, "utf8");
    for (const p of parts) {
      expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(30);
      expect(p).toMatch(/^(😀)+$/u);
    }
    expect(parts.join("")).toBe(text);
  });
});
