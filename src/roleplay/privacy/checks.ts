// Check digits and number plans: what makes a run of digits a card, an identity card or a phone
// number rather than an amount or a reference. Each function takes the bare characters.

/** Luhn (ISO/IEC 7812), used by every card scheme including UnionPay. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// First two digits of a mainland resident ID (province), 81-83 for the Hong Kong, Macau and
// Taiwan residence permits, 9 for the 2023 foreigner permanent residence ID card.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83, 91, 92, 93, 94, 95, 96, 97, 98, 99,
]);

export function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return day <= (days[month - 1] ?? 0);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** 18-character resident ID (GB 11643): province, birth date and the ISO 7064 MOD 11-2 check. */
export function residentIdValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return false;
  const year = Number(id.slice(6, 10));
  if (year < 1900 || year > 2099 || !validDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === id[17];
}

/** 15-digit resident ID of before 1999: province, a two-digit-year birth date, no check digit. */
export function oldResidentIdValid(id: string): boolean {
  if (!/^\d{15}$/.test(id)) return false;
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return false;
  return validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}

/** Mainland mobile numbers by their operator prefixes (MIIT number plan). */
export function mainlandMobile(digits: string): boolean {
  return /^1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9\d)\d{8}$/.test(digits);
}

/**
 * Mainland fixed line with its long-distance code (010, 02x, 0[3-9]xx) and a local number of 7 or
 * 8 digits; local numbers never start with 0 or 1.
 */
export function mainlandLandline(digits: string): boolean {
  return /^0(?:10|2\d)[2-9]\d{6,7}$/.test(digits) || /^0[3-9]\d{2}[2-9]\d{6,7}$/.test(digits);
}

/** Hong Kong (852) and Macau (853) numbers: 8 digits, by their first digit. */
export function hongKongNumber(digits: string): boolean {
  return /^[235679]\d{7}$/.test(digits);
}
export function macauNumber(digits: string): boolean {
  return /^(?:6\d{7}|28\d{6}|8\d{7})$/.test(digits);
}

/** Taiwan numbers after +886 (no trunk 0): mobiles 9xxxxxxxx, fixed lines 2-8 and 7-8 more digits. */
export function taiwanNumber(digits: string): boolean {
  return /^9\d{8}$/.test(digits) || /^[2-8]\d{7,8}$/.test(digits);
}

const HKID_LETTER = (c: string) => (c === " " ? 36 : c.charCodeAt(0) - 55);

/** Hong Kong identity card: one or two letters, six digits and a MOD 11 check (0-9 or A). */
export function hongKongIdValid(letters: string, digits: string, check: string): boolean {
  const chars = (letters.length === 1 ? ` ${letters}` : letters) + digits;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = chars[i] ?? "0";
    sum += (9 - i) * (/\d/.test(c) ? Number(c) : HKID_LETTER(c));
  }
  const expected = (11 - (sum % 11)) % 11;
  return (expected === 10 ? "A" : String(expected)) === check;
}

const TW_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

/** Taiwan national ID (and the 2021 resident certificate numbers, second digit 8 or 9). */
export function taiwanIdValid(id: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(id)) return false;
  const code = TW_LETTERS.indexOf(id[0] ?? "") + 10;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i < 9; i++) sum += Number(id[i]) * (9 - i);
  sum += Number(id[9]);
  return sum % 10 === 0;
}

/** IBAN (ISO 13616) mod-97 check; `iban` is letters and digits only, upper case. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** US social security number: area not 000, 666 or 9xx; group and serial not zero. */
export function usSsnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  return area !== "000" && area !== "666" && digits.slice(3, 5) !== "00" && digits.slice(5) !== "0000";
}
