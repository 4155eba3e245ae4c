// Identifiers that mix letters and digits, found by their published shapes and check characters:
// Hong Kong, Macau and Taiwan identity cards, travel and residence permits, passports, the UK
// national insurance number, the old foreigner permanent residence card, IBANs.
import { hongKongIdValid, ibanValid, taiwanIdValid } from "./checks.ts";
import type { PiiKind, Span } from "./kinds.ts";

const B = "(?<![A-Za-z0-9])";
const E = "(?![A-Za-z0-9])";

const SHAPES: Array<{ kind: PiiKind; re: RegExp; valid?: (m: RegExpExecArray) => boolean }> = [
  // Hong Kong identity card: A123456(7), AB987654(A).
  {
    kind: "id_number",
    re: new RegExp(`${B}([A-Z]{1,2})[\\s-]?(\\d{6})\\s?(?:\\(\\s?([0-9A])\\s?\\)|([0-9A]))${E}`, "gi"),
    valid: (m) => hongKongIdValid((m[1] ?? "").toUpperCase(), m[2] ?? "", (m[3] ?? m[4] ?? "").toUpperCase()),
  },
  // Macau identity card: 1234567(8) or 1/234567/8; the first digit is 1, 5 or 7.
  { kind: "id_number", re: /(?<!\d)[1578]\d{6}\s?\(\s?\d\s?\)/g },
  { kind: "id_number", re: /(?<!\d)[1578]\/\d{6}\/\d(?!\d)/g },
  // Taiwan national ID and resident certificate: a letter, 1/2 (or 8/9), eight digits, checked.
  {
    kind: "id_number",
    re: new RegExp(`${B}[A-Z][1289]\\d{8}${E}`, "gi"),
    valid: (m) => taiwanIdValid(m[0].toUpperCase()),
  },
  // Mainland travel permit for Hong Kong and Macau residents: H or M and 8 or 10 digits.
  { kind: "permit", re: new RegExp(`${B}[HM]\\d{8}(?:\\d{2})?${E}`, "gi") },
  // Mainland travel permit for Taiwan residents, old form: 10 digits and a letter in brackets.
  { kind: "permit", re: /(?<!\d)\d{8}(?:\d{2})?\s?\(\s?[A-Z]\s?\)/gi },
  // Chinese passports: E + 8 digits, E + letter + 7 digits, G/D/S/P + 7-8 digits.
  { kind: "passport", re: new RegExp(`${B}(?:E[A-HJ-NP-Z]\\d{7}|E\\d{8}|[GDSP]E?\\d{7,8})${E}`, "gi") },
  // Foreigner permanent residence card before 2023: nationality letters and 12 digits.
  { kind: "permit", re: new RegExp(`${B}[A-Z]{3}\\d{12}${E}`, "g") },
  // UK national insurance number.
  {
    kind: "tax_id",
    re: new RegExp(`${B}[A-CEGHJ-PR-TW-Z]{2}\\s?\\d{2}\\s?\\d{2}\\s?\\d{2}\\s?[A-D]${E}`, "g"),
  },
];

// IBAN: two letters, two check digits, then up to 30 letters or digits, often in groups of four.
const IBAN = new RegExp(`${B}[A-Z]{2}\\d{2}(?:[\\s-]?[A-Z0-9]){11,30}`, "gi");

export function documentSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const { kind, re, valid } of SHAPES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (!valid || valid(m)) spans.push({ start: m.index, end: m.index + m[0].length, kind });
    }
  }
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m !== null; m = IBAN.exec(text)) {
    const raw = m[0];
    // The longest prefix that ends on a letter or digit and passes mod 97 is the IBAN.
    for (let end = raw.length; end >= 15; end--) {
      const candidate = raw.slice(0, end);
      if (!/[A-Za-z0-9]$/.test(candidate)) continue;
      if (ibanValid(candidate.replace(/[\s-]/g, "").toUpperCase())) {
        spans.push({ start: m.index, end: m.index + end, kind: "iban" });
        IBAN.lastIndex = m.index + end;
        break;
      }
    }
  }
  return spans;
}
