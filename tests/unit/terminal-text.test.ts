// What the trainee or the model writes reaches the terminal as text, never as terminal commands.
import { describe, expect, it } from "vitest";
import { printable } from "../../src/platforms/console/terminal-text.ts";

describe("printable", () => {
  it("drops escape sequences of every family: colours, cursor moves, titles, links, device strings", () => {
    for (const [raw, shown] of [
      ["a\u001b[31mred\u001b[0m b", "ared b"],
      ["\u001b[2J\u001b[Hwiped", "wiped"],
      ["x\u001b]0;new title\u0007y", "xy"],
      ["\u001b]8;;http://evil.example\u001b\\click\u001b]8;;\u001b\\", "click"],
      ["\u001bPq#0;2;0;0;0\u001b\\after", "after"],
      ["\u001bcreset", "reset"],
      ["\u001b7saved\u001b8", "saved"],
      ["ends with \u001b", "ends with "],
    ]) {
      expect(printable(raw as string), JSON.stringify(raw)).toBe(shown);
    }
  });

  it("drops C0 and C1 controls (NUL, bell, backspace, the 8-bit CSI) but keeps newlines; tabs become spaces", () => {
    expect(printable("nu\u0000ll\u0007 ba\bck")).toBe("null back");
    expect(printable("eight\u009b31mbit\u0085")).toBe("eight31mbit");
    expect(printable("line one\r\nline two\rthree")).toBe("line one\nline two\nthree");
    expect(printable("a\tb")).toBe("a b");
    expect(printable("\u007fdel")).toBe("del");
  });

  it("drops bidi overrides and isolates, so a line cannot read backwards from what it holds", () => {
    expect(printable("refund \u202e001 CNY\u202c ok")).toBe("refund 001 CNY ok");
    expect(printable("\u2066x\u2069\u2067y\u2069\u2068z\u2069\u200f")).toBe("xyz");
  });

  it("leaves ordinary text alone, Chinese and emoji included", () => {
    const text = "您好，我是大堂经理：请问遇到什么问题了？ 😊\n第二行 — “引号” 100%";
    expect(printable(text)).toBe(text);
  });
});
