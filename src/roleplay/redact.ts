// Masks personal data in trainee text before it reaches the LLM, the database or a log: trainees
// paste real card, ID and phone numbers out of habit. Under China's PIPL, financial account data is
// sensitive personal information, so we err on the side of masking long digit runs.
import type { Language } from "../domain/persona.ts";

export type PiiKind = "card" | "id_number" | "mobile" | "email" | "security_code";

export interface Redaction {
  text: string;
  /** What was masked, by kind (counts), for the once-per-session notice. */
  found: Partial<Record<PiiKind, number>>;
}

const LABELS: Record<Language, Record<PiiKind, string>> = {
  "zh-CN": {
    card: "［卡号已隐藏］",
    id_number: "［身份证号已隐藏］",
    mobile: "［手机号已隐藏］",
    email: "［邮箱已隐藏］",
    security_code: "［安全码已隐藏］",
  },
  en: {
    card: "[card number hidden]",
    id_number: "[ID number hidden]",
    mobile: "[phone number hidden]",
    email: "[email hidden]",
    security_code: "[security code hidden]",
  },
};

// Patterns run on a copy where full-width digits, letters X and separators are folded to ASCII.
// Every fold maps one UTF-16 unit to one, so match offsets apply to the original text too.
const D = "[0-9]";
const PATTERNS: Array<{ kind: PiiKind; re: RegExp; group?: number }> = [
  // Security codes and PINs after their name: only the digits are masked.
  {
    kind: "security_code",
    re: /(?:cvv2?|cvc2?|cvn2?|安全码|校验码|验证码|密码|pin)\s*(?:码|号|是|为|:|=)?\s*(\d{3,6})(?!\d)/gi,
    group: 1,
  },
  { kind: "email", re: /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/gi },
  // Chinese resident ID: 6-digit area, birth date, 3 digits, check digit or X.
  {
    kind: "id_number",
    re: new RegExp(
      `(?<!${D})[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[\\dX](?!${D})`,
      "gi",
    ),
  },
  // Mainland mobile: 1[3-9] and 9 more digits, optional +86 / 0086, optional spaces or dashes.
  { kind: "mobile", re: new RegExp(`(?<!${D})(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d(?:[ -]?\\d){8}(?!${D})`, "g") },
  // Card numbers: 13-19 digits, possibly grouped by single spaces or dashes.
  { kind: "card", re: new RegExp(`(?<!${D})\\d(?:[ -]?\\d){12,18}(?!${D})`, "g") },
];

function fold(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xff10 && c <= 0xff19) out += String.fromCharCode(c - 0xff10 + 0x30);
    else if (ch === "Ｘ" || ch === "ｘ") out += "X";
    else if (ch === "－" || ch === "—" || ch === "‐") out += "-";
    else if (ch === "\u3000") out += " ";
    else if (ch === "＋") out += "+";
    else if (ch === "＠") out += "@";
    else if (ch === "：") out += ":";
    else if (ch === "＝") out += "=";
    else out += ch;
  }
  return out;
}

export function redact(text: string, language: Language): Redaction {
  const found: Partial<Record<PiiKind, number>> = {};
  let original = text;
  for (const { kind, re, group } of PATTERNS) {
    // Re-fold each round: an earlier replacement may have changed lengths.
    const folded = fold(original);
    if (folded.length !== original.length) {
      // Astral characters fold to themselves; lengths only differ if fold() is wrong.
      throw new Error("redact: folding changed the text length");
    }
    const spans: Array<[number, number]> = [];
    re.lastIndex = 0;
    for (let m = re.exec(folded); m !== null; m = re.exec(folded)) {
      if (group !== undefined && m[group] !== undefined) {
        const start = m.index + m[0].lastIndexOf(m[group]);
        spans.push([start, start + m[group].length]);
      } else {
        spans.push([m.index, m.index + m[0].length]);
      }
    }
    if (spans.length === 0) continue;
    found[kind] = (found[kind] ?? 0) + spans.length;
    let out = "";
    let last = 0;
    for (const [s, e] of spans) {
      out += original.slice(last, s) + LABELS[language][kind];
      last = e;
    }
    original = out + original.slice(last);
  }
  return { text: original, found };
}

export function anyFound(r: Redaction): boolean {
  return Object.keys(r.found).length > 0;
}
