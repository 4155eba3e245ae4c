// A generated corpus of personal data as trainees type it, and of ordinary numbers that must
// survive masking. Written from the published formats (check-digit algorithms, number plans,
// document layouts), not from the masker's patterns: the masker is judged against it.

export type Rng = () => number;

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const digits = (r: Rng, n: number) => Array.from({ length: n }, () => String(int(r, 0, 9))).join("");

export interface Case {
  kind: string;
  /** The sentence the trainee types. */
  text: string;
  /** What must not survive: digits/letters of the secret (compared after normalising). */
  secret: string;
}

// ---- check digits, implemented from the standards ----

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function idCheck(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * (w[i] as number);
  return "10X98765432"[s % 11] as string;
}

function hkidCheck(letters: string, six: string): string {
  const chars = (letters.length === 1 ? " " : "") + letters + six;
  let s = 0;
  for (let i = 0; i < 8; i++) {
    const c = chars[i] as string;
    const v = c === " " ? 36 : /[A-Z]/.test(c) ? c.charCodeAt(0) - 55 : Number(c);
    s += v * (9 - i);
  }
  const r = (11 - (s % 11)) % 11;
  return r === 10 ? "A" : String(r);
}

function twidCheck(letter: string, eight: string): string {
  const order = "ABCDEFGHJKLMNPQRSTUVXYWZIO";
  const n = order.indexOf(letter) + 10;
  let s = Math.floor(n / 10) + (n % 10) * 9;
  for (let i = 0; i < 8; i++) s += Number(eight[i]) * (8 - i);
  return String((10 - (s % 10)) % 10);
}

function ibanOf(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`
    .split("")
    .map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c))
    .join("");
  let rest = 0;
  for (const d of rearranged) rest = (rest * 10 + Number(d)) % 97;
  return `${country}${String(98 - rest).padStart(2, "0")}${bban}`;
}

// ---- values ----

const CARD_PREFIXES: Array<[string, number]> = [
  ["622202", 19],
  ["622848", 19],
  ["621700", 19],
  ["621483", 16],
  ["622588", 16],
  ["625965", 16],
  ["622260", 19],
  ["6222", 16],
  ["4", 16],
  ["4", 13],
  ["51", 16],
  ["55", 16],
  ["2221", 16],
  ["34", 15],
  ["37", 15],
  ["35", 16],
  ["6011", 16],
  ["62", 17],
  ["62", 18],
];

export function cardNumber(r: Rng): string {
  const [prefix, len] = pick(r, CARD_PREFIXES);
  const body = prefix + digits(r, len - prefix.length - 1);
  return body + luhnDigit(body);
}

const PROVINCES = [
  "11",
  "12",
  "13",
  "31",
  "32",
  "33",
  "35",
  "37",
  "41",
  "42",
  "44",
  "45",
  "50",
  "51",
  "53",
  "61",
  "65",
];

function birth(r: Rng, from = 1940, to = 2008): [number, number, number] {
  const y = int(r, from, to);
  const m = int(r, 1, 12);
  const days = [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return [y, m, int(r, 1, days)];
}
const p2 = (n: number) => String(n).padStart(2, "0");

export function residentId(r: Rng, regionPrefix?: string): string {
  const [y, m, d] = birth(r);
  const region = regionPrefix ?? pick(r, PROVINCES) + digits(r, 4);
  const body = `${region}${y}${p2(m)}${p2(d)}${digits(r, 3)}`;
  return body + idCheck(body);
}

export function oldResidentId(r: Rng): string {
  const [y, m, d] = birth(r, 1940, 1999);
  return `${pick(r, PROVINCES)}${digits(r, 4)}${String(y).slice(2)}${p2(m)}${p2(d)}${digits(r, 3)}`;
}

const MOBILE_PREFIXES =
  "130 131 132 133 134 135 136 137 138 139 145 147 149 150 151 152 153 155 156 157 158 159 162 166 167 170 171 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 190 191 193 195 196 197 198 199".split(
    " ",
  );
export const mobile = (r: Rng) => pick(r, MOBILE_PREFIXES) + digits(r, 8);

const AREAS_2 = ["10", "20", "21", "22", "23", "24", "25", "27", "28", "29"];
const AREAS_3 = [
  "311",
  "351",
  "371",
  "431",
  "451",
  "471",
  "531",
  "551",
  "571",
  "591",
  "731",
  "755",
  "757",
  "769",
  "851",
  "871",
  "898",
  "931",
  "991",
];

/** [area without 0, local number] */
export function landline(r: Rng): [string, string] {
  if (r() < 0.5) return [pick(r, AREAS_2), String(int(r, 2, 8)) + digits(r, int(r, 6, 7))];
  return [pick(r, AREAS_3), String(int(r, 2, 8)) + digits(r, int(r, 6, 7))];
}

// ---- renderings ----

const SEPARATORS = [
  " ",
  "  ",
  "\u00a0",
  "\u3000",
  "\u2009",
  "\u202f",
  ".",
  "-",
  "/",
  "—",
  "·",
  "－",
  "．",
  "／",
  " - ",
  "\u00a0\u00a0",
  " . ",
];
const LOWER = "〇一二三四五六七八九";
const LOWER_ZERO = "零一二三四五六七八九";
const UPPER = "零壹贰叁肆伍陆柒捌玖";
const SPOKEN = "洞幺两三四五六拐八勾";

export function fullWidth(s: string): string {
  return s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Digits written in one of the Chinese numeral styles trainees use. */
export function chineseNumerals(r: Rng, s: string): string {
  const style = pick(r, [LOWER, LOWER_ZERO, UPPER, SPOKEN]);
  return s.replace(/\d/g, (d) => style[Number(d)] as string);
}

/** Splits into groups in one of the ways people write long numbers. */
export function grouped(r: Rng, s: string, sizes?: number[]): string[] {
  const plans: number[][] = sizes
    ? [sizes]
    : [
        [s.length],
        [4, 4, 4, 4, 4],
        [3, 4, 4, 4, 4],
        [6, 8, 4],
        [4, 6, 5, 4],
        [2, 3, 4, 5, 5],
        Array(s.length).fill(1),
        [6, 99],
      ];
  const plan = pick(r, plans);
  const out: string[] = [];
  let i = 0;
  for (const n of plan) {
    if (i >= s.length) break;
    out.push(s.slice(i, i + n));
    i += n;
  }
  if (i < s.length) out.push(s.slice(i));
  return out;
}

/** A number rendered with a random separator run, width and numeral style. */
export function render(r: Rng, s: string, sizes?: number[]): string {
  const groups = grouped(r, s, sizes);
  const sep = pick(r, SEPARATORS);
  const mixed = r() < 0.2;
  let out = groups.map((g, i) => (i === 0 ? g : (mixed ? pick(r, SEPARATORS) : sep) + g)).join("");
  const style = r();
  if (style < 0.15) out = fullWidth(out);
  else if (style < 0.3) out = chineseNumerals(r, out);
  return out;
}

// ---- sentences ----

const ZH_AROUND: Array<[string, string]> = [
  ["", ""],
  ["麻烦您查一下", "，谢谢"],
  ["就是这个：", "。"],
  ["你看一下 ", " 对不对"],
  ["我刚才说错了，应该是", "吧"],
  ["", "，帮我看看怎么回事"],
];
const EN_AROUND: Array<[string, string]> = [
  ["", ""],
  ["Could you check ", " for me?"],
  ["it is ", ", thanks"],
  ["Here you go: ", "."],
];

function sentence(r: Rng, lead: string, value: string): string {
  const [a, b] = r() < 0.65 ? pick(r, ZH_AROUND) : pick(r, EN_AROUND);
  return `${a}${lead}${value}${b}`;
}

type Generator = (r: Rng) => Case;

const g = (kind: string, make: (r: Rng) => [string, string, string]): [string, Generator] => [
  kind,
  (r) => {
    const [lead, value, secret] = make(r);
    return { kind, text: sentence(r, lead, value), secret };
  },
];

const CARD_LEADS = [
  "我的卡号是",
  "卡号：",
  "银行卡",
  "",
  "这张卡 ",
  "card number ",
  "my card is ",
  "",
  "信用卡号码是 ",
];
const ID_LEADS = ["身份证号", "身份证：", "", "我的证件号码是", "ID number ", "", "id: "];
const PHONE_LEADS = ["手机", "电话：", "", "我的号码是", "联系方式 ", "call me on ", "", "mobile: ", "打这个"];

export const PERSONAL: Array<[string, Generator]> = [
  g("card", (r) => {
    const n = cardNumber(r);
    return [pick(r, CARD_LEADS), render(r, n), n];
  }),
  g("card_digits_only", (r) => {
    const n = cardNumber(r);
    return [pick(r, ["", "号码", "这个 "]), render(r, n), n];
  }),
  g("resident_id", (r) => {
    const n = residentId(r);
    return [pick(r, ID_LEADS), render(r, n, pick(r, [[18], [6, 8, 4], [6, 4, 4, 4], [3, 3, 4, 4, 4]])), n];
  }),
  g("resident_id_old", (r) => {
    const n = oldResidentId(r);
    return [pick(r, ID_LEADS), render(r, n, pick(r, [[15], [6, 6, 3]])), n];
  }),
  g("mobile", (r) => {
    const n = mobile(r);
    const cc = pick(r, ["", "", "+86 ", "+86-", "0086 ", "86 ", "+86", "(+86) ", "＋８６ "]);
    return [
      pick(r, PHONE_LEADS) + cc,
      render(r, n, pick(r, [[11], [3, 4, 4], [3, 8], Array(11).fill(1), [3, 3, 5], [4, 4, 3]])),
      n,
    ];
  }),
  g("landline", (r) => {
    const [area, local] = landline(r);
    const form = int(r, 0, 6);
    const rendered =
      form === 0
        ? `0${area}-${local}`
        : form === 1
          ? `(0${area})${local}`
          : form === 2
            ? `+86-${area}-${local}`
            : form === 3
              ? `0${area} ${local.slice(0, 4)} ${local.slice(4)}`
              : form === 4
                ? `（0${area}）${local.slice(0, 4)}-${local.slice(4)}`
                : form === 5
                  ? `+86 (0)${area} ${local}`
                  : `0${area}${local}`;
    return [pick(r, PHONE_LEADS), rendered, `0${area}${local}`.slice(-local.length)];
  }),
  g("email", (r) => {
    const user =
      pick(r, ["li", "wang", "zhang", "chen", "x", "kf"]) +
      pick(r, ["", ".", "_"]) +
      pick(r, ["ming", "wei", "fang", "88", "2024", "abc"]);
    const domain = pick(r, ["qq", "163", "126", "gmail", "outlook", "icbc", "foxmail", "sina"]);
    const tld = pick(r, ["com", "com.cn", "cn", "net"]);
    const at = pick(r, ["@", "＠", " at ", "(at)", "（at）", "[at]", " [at] ", "艾特", " AT ", "【at】"]);
    const dot = pick(r, [".", ".", "。", " dot ", "[dot]", "点", "(dot)", "．"]);
    const text = `${user}${at}${domain}${dot}${tld.replace(".", dot)}`;
    return [pick(r, ["邮箱是", "email: ", "发到", "", "我的邮件地址 "]), text, user.replace(/[._]/g, "") + domain];
  }),
  g("security_code", (r) => {
    const code = digits(r, pick(r, [3, 4, 6, 6]));
    const lead = pick(r, [
      "密码是",
      "我的密码",
      "密码我记得好像是",
      "验证码",
      "刚收到的验证码是",
      "动态码：",
      "CVV ",
      "cvv2是",
      "CVN2 ",
      "安全码",
      "背面三位数",
      "卡背面的三位数字是",
      "PIN ",
      "pin码是",
      "password ",
      "my password is probably ",
      "passcode: ",
      "the OTP I got is ",
      "短信验证码刚发来了，是",
    ]);
    const value = r() < 0.7 ? code : r() < 0.5 ? code.split("").join(" ") : chineseNumerals(r, code);
    return [lead, value, code];
  }),
  g("card_chinese_numerals", (r) => {
    const n = cardNumber(r);
    return [pick(r, CARD_LEADS), chineseNumerals(r, n), n];
  }),
  g("mobile_chinese_numerals", (r) => {
    const n = mobile(r);
    const groups = grouped(r, n, pick(r, [[11], [3, 4, 4]]));
    return [pick(r, PHONE_LEADS), chineseNumerals(r, groups.join(pick(r, ["", " ", "，"].slice(0, 2)))), n];
  }),
  g("hk_id", (r) => {
    const letters =
      r() < 0.8 ? String.fromCharCode(65 + int(r, 0, 25)) : String.fromCharCode(65 + int(r, 0, 25), 65 + int(r, 0, 25));
    const six = digits(r, 6);
    const check = hkidCheck(letters, six);
    const form = pick(r, [`${letters}${six}(${check})`, `${letters}${six}${check}`, `${letters}${six}（${check}）`]);
    return [pick(r, ["香港身份证", "HKID ", "身份证号码是", ""]), form, `${letters}${six}`];
  }),
  g("macau_id", (r) => {
    const n = pick(r, ["1", "5", "7"]) + digits(r, 6);
    const check = digits(r, 1);
    return [
      pick(r, ["澳门身份证", "BIR ", "澳门居民身份证号码："]),
      pick(r, [`${n}(${check})`, `${n.slice(0, 1)}/${n.slice(1)}/${check}`]),
      n,
    ];
  }),
  g("tw_id", (r) => {
    const letter = "ABCDEFGHJKLMNPQRSTUVXYWZIO"[int(r, 0, 25)] as string;
    const eight = pick(r, ["1", "2"]) + digits(r, 7);
    return [pick(r, ["台湾身份证", "身分證字號", "ID ", ""]), letter + eight + twidCheck(letter, eight), eight];
  }),
  g("travel_permit", (r) => {
    const form = int(r, 0, 3);
    const value =
      form === 0
        ? `${pick(r, ["H", "M"])}${digits(r, 8)}`
        : form === 1
          ? `${pick(r, ["H", "M"])}${digits(r, 10)}`
          : form === 2
            ? `${digits(r, 8)}`
            : `${digits(r, 10)}(${pick(r, ["B", "C", "E"])})`;
    const lead =
      form === 2
        ? pick(r, ["台胞证号码", "台湾居民来往大陆通行证 ", "台胞證"])
        : pick(r, ["回乡证", "港澳居民来往内地通行证号码：", "通行证 ", "台胞证", "permit no. "]);
    return [lead, value, value.replace(/\D/g, "")];
  }),
  g("residence_permit", (r) => {
    const n = residentId(r, pick(r, ["810000", "820000", "830000"]));
    return [pick(r, ["港澳台居民居住证", "居住证号码", ""]), render(r, n, [18]), n];
  }),
  g("foreign_permanent_id", (r) => {
    if (r() < 0.5) {
      const body = `9${pick(r, PROVINCES)}${digits(r, 3)}${birth(r)
        .map((x, i) => (i ? p2(x) : String(x)))
        .join("")}${digits(r, 3)}`;
      const n = body + idCheck(body);
      return [pick(r, ["外国人永久居留身份证", "永居证号码", ""]), n, n];
    }
    const n = pick(r, ["USA", "GBR", "CAN", "AUS", "DEU"]) + digits(r, 12);
    return [pick(r, ["永久居留证 ", "permanent residence card ", ""]), n, n.slice(3)];
  }),
  g("passport_cn", (r) => {
    const n = pick(r, [
      `E${digits(r, 8)}`,
      `E${pick(r, ["A", "B", "C", "D", "F"])}${digits(r, 7)}`,
      `G${digits(r, 8)}`,
      `P${digits(r, 7)}`,
    ]);
    return [pick(r, ["护照号", "护照：", "passport ", "", "我的护照号码是"]), n, n.replace(/^\D+/, "")];
  }),
  g("passport_foreign", (r) => {
    const n = pick(r, [
      digits(r, 9),
      `${pick(r, ["K", "X", "N", "C"])}${digits(r, 8)}`,
      `${pick(r, ["AB", "LK", "PA"])}${digits(r, 7)}`,
    ]);
    return [pick(r, ["护照号码是 ", "passport number ", "passport no. ", "my passport is "]), n, n.replace(/^\D+/, "")];
  }),
  g("tax_id", (r) => {
    const area = String(int(r, 1, 899)).padStart(3, "0");
    const ssn = `${area === "666" ? "667" : area}-${p2(int(r, 1, 99))}-${String(int(r, 1, 9999)).padStart(4, "0")}`;
    const form = int(r, 0, 3);
    if (form === 0) return [pick(r, ["SSN ", "", "my social security number is "]), ssn, ssn.replace(/\D/g, "")];
    if (form === 1) {
      const ein = `${p2(int(r, 10, 99))}-${digits(r, 7)}`;
      return [pick(r, ["EIN ", "tax id ", "美国税号"]), ein, ein.replace(/\D/g, "")];
    }
    if (form === 2) {
      const n = digits(r, 9);
      return [pick(r, ["税号", "纳税人识别号：", "TIN ", "tax number "]), n, n];
    }
    const nino = `${pick(r, ["AB", "CE", "JK", "PR"])}${digits(r, 6)}${pick(r, ["A", "B", "C", "D"])}`;
    return [pick(r, ["National Insurance number ", "NINO ", ""]), nino, nino];
  }),
  g("bank_account", (r) => {
    const n = String(int(r, 1, 9)) + digits(r, int(r, 11, 21));
    return [
      pick(r, ["账号", "对公账户：", "收款账户 ", "我的账户是", "account no. ", "account number ", "帐号是"]),
      render(r, n),
      n,
    ];
  }),
  g("iban", (r) => {
    const [cc, len] = pick(r, [
      ["DE", 18],
      ["GB", 18],
      ["FR", 23],
      ["NL", 14],
      ["ES", 20],
    ] as Array<[string, number]>);
    const bban =
      cc === "GB" || cc === "NL" ? pick(r, ["WEST", "NWBK", "ABNA", "BARC"]) + digits(r, len - 4) : digits(r, len);
    const iban = ibanOf(cc, bban);
    const text = r() < 0.5 ? iban : iban.replace(/(.{4})/g, "$1 ").trim();
    return [pick(r, ["IBAN ", "", "我的欧洲账户 "]), text, iban.slice(4)];
  }),
  g("hk_macau_tw_phone", (r) => {
    const form = int(r, 0, 3);
    if (form === 0) {
      const n = pick(r, ["5", "6", "9"]) + digits(r, 7);
      return [
        pick(r, ["", "香港手机 ", "phone "]),
        `${pick(r, ["+852 ", "(852) ", "+852-", "00852 "])}${n.slice(0, 4)} ${n.slice(4)}`,
        n,
      ];
    }
    if (form === 1) {
      const n = `6${digits(r, 7)}`;
      return [pick(r, ["", "澳门电话 "]), `${pick(r, ["+853 ", "+853-"])}${n}`, n];
    }
    const n = `9${digits(r, 8)}`;
    if (form === 2) return [pick(r, ["", "台湾手机", "cell "]), `0${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, n];
    return [pick(r, ["", "台湾手机"]), `+886 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, n];
  }),
  g("payment_account", (r) => {
    const form = int(r, 0, 3);
    if (form === 0) {
      const id = pick(r, ["wxid_", "zhang", "li_", "Wang"]) + pick(r, ["abc", "ming", "x"]) + digits(r, int(r, 2, 6));
      return [pick(r, ["微信号", "微信号是 ", "WeChat ID: ", "加我微信 "]), id, id];
    }
    if (form === 1) {
      const n = mobile(r);
      return [pick(r, ["支付宝账号", "支付宝 ", "Alipay account "]), n, n];
    }
    if (form === 2) {
      const n = String(int(r, 1, 9)) + digits(r, int(r, 6, 9));
      return [pick(r, ["QQ号", "QQ ", "qq号码是"]), n, n];
    }
    const id = pick(r, ["ming", "wei", "fang"]) + digits(r, 4);
    return [pick(r, ["Alipay ID ", "支付宝账号是 "]), id, id];
  }),
];

// ---- names and addresses, given as such ----

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖欧阳司马诸葛".split(
    "",
  );
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌宇浩凯晨欣怡子涵梓轩".split("");
const EN_FIRST = ["John", "Mary", "David", "Emma", "Wei", "Ming", "Sarah", "James"];
const EN_LAST = ["Smith", "Chan", "Wong", "Brown", "Taylor", "Lee", "Johnson"];

export const NAMES_AND_ADDRESSES: Array<[string, Generator]> = [
  g("name", (r) => {
    if (r() < 0.6) {
      const name = pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.6 ? pick(r, GIVEN) : "");
      return [pick(r, ["姓名：", "户名是", "我的名字叫", "持卡人姓名 ", "开户人"]), name, name];
    }
    const name = `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`;
    return [pick(r, ["my name is ", "My name is ", "Name: ", "account holder "]), name, name.replace(" ", "")];
  }),
  g("address", (r) => {
    if (r() < 0.6) {
      const city = pick(r, ["北京市朝阳区", "上海市浦东新区", "广州市天河区", "深圳市南山区", "杭州市西湖区"]);
      const street = pick(r, ["建国路", "人民路", "解放大道", "中山北路", "科技园南路"]);
      const addr = `${city}${street}${int(r, 1, 999)}号${pick(r, ["", `${int(r, 1, 30)}栋${int(r, 101, 2999)}室`, "小区"])}`;
      return [pick(r, ["地址：", "我家住址是", "我住在", "家庭地址 "]), addr, street + addr.split(street)[1]];
    }
    const addr = `${int(r, 1, 999)} ${pick(r, ["Baker", "King", "Queen", "Nathan", "Des Voeux"])} ${pick(r, ["Street", "Road", "Avenue", "Lane"])}, ${pick(r, ["London", "Hong Kong", "Sydney"])}`;
    return [pick(r, ["my address is ", "I live at ", "address: "]), addr, addr.split(",")[0] as string];
  }),
];

// ---- ordinary numbers that must survive ----

const AMOUNT_UNITS = ["元", "块", "万元", " RMB", "元人民币", " yuan"];

export const ORDINARY: Array<[string, (r: Rng) => string]> = [
  [
    "amount",
    (r) =>
      `${pick(r, ["取了", "存了", "转账", "一共", "余额还有", "I withdrew ", "手续费"])}${int(r, 1, 99999)}${pick(r, AMOUNT_UNITS)}`,
  ],
  [
    "amount_list",
    (r) =>
      `${Array.from({ length: int(r, 3, 5) }, () => int(r, 1, 50) * 100).join(pick(r, [" ", "、", "，", " / "]))} ${pick(r, AMOUNT_UNITS)}`,
  ],
  ["amount_list_bare", (r) => `分别是${Array.from({ length: int(r, 3, 5) }, () => int(r, 1, 90) * 1000).join(" ")}`],
  [
    "money_sign",
    (r) =>
      `${pick(r, ["¥", "￥", "$", "HK$"])}${int(r, 1, 999)},${String(int(r, 0, 999)).padStart(3, "0")}.${p2(int(r, 0, 99))}`,
  ],
  [
    "date",
    (r) => {
      const [y, m, d] = birth(r, 2020, 2030);
      return pick(r, [
        `${y}-${p2(m)}-${p2(d)}`,
        `${y}年${m}月${d}日`,
        `${y}/${m}/${d}`,
        `${y}.${p2(m)}.${p2(d)}`,
        `${y}${p2(m)}${p2(d)}`,
      ]);
    },
  ],
  [
    "date_range",
    (r) => {
      const [y, m, d] = birth(r, 2020, 2030);
      const [y2, m2, d2] = birth(r, 2020, 2030);
      const sep = pick(r, ["-", "/", "."]);
      return `${pick(r, ["", "从", "活动时间 "])}${y}${sep}${p2(m)}${sep}${p2(d)}${pick(r, [" ", " 至 ", " - ", "~", " to "])}${y2}${sep}${p2(m2)}${sep}${p2(d2)}`;
    },
  ],
  [
    "time",
    (r) =>
      `${pick(r, ["下午", "上午", "", "at "])}${int(r, 0, 23)}:${p2(int(r, 0, 59))}${pick(r, ["", "-" + `${int(r, 0, 23)}:${p2(int(r, 0, 59))}`])}`,
  ],
  [
    "datetime",
    (r) => {
      const [y, m, d] = birth(r, 2020, 2030);
      return `${y}-${p2(m)}-${p2(d)} ${p2(int(r, 0, 23))}:${p2(int(r, 0, 59))}:${p2(int(r, 0, 59))}`;
    },
  ],
  [
    "reference",
    (r) =>
      `${pick(r, ["编号", "流水号", "订单号", "交易流水号：", "工单号 ", "回执编号", "reference ", "order #", "ticket "])}${String(int(r, 1, 9)) + digits(r, int(r, 9, 19))}`,
  ],
  [
    "branch_code",
    (r) =>
      pick(r, [
        `网点号${digits(r, 5)}`,
        `联行号${pick(r, ["102", "103", "104", "105"])}${digits(r, 9)}`,
        `机构号 ${digits(r, 6)}`,
        `branch code ${digits(r, 4)}`,
        `工号${digits(r, 6)}`,
      ]),
  ],
  ["percent", (r) => `${pick(r, ["年利率", "利率", "rate "])}${int(r, 1, 9)}.${int(r, 0, 99)}%`],
  ["quantity", (r) => `${pick(r, ["排了", "等了", "办了"])}${int(r, 1, 300)}${pick(r, ["分钟", "笔", "次", "天"])}`],
  [
    "hotline",
    (r) =>
      `${pick(r, ["", "客服电话", "致电", "call "])}${pick(r, ["95588", "95533", "95599", "95566", "400-820-8820", "400 820 8820", "800-820-8820", "10086", "12315"])}`,
  ],
  ["year_count", (r) => `${int(r, 1990, 2030)}年开的户，${int(r, 1, 30)}年了`],
  ["term", (r) => `期限${int(r, 3, 60)}个月，额度${int(r, 1, 50)}万`],
  ["last_four", (r) => `${pick(r, ["尾号", "后四位", "ending in "])}${digits(r, 4)}`],
  [
    "big_amount",
    (r) =>
      `${int(r, 1, 9)},${String(int(r, 0, 999)).padStart(3, "0")},${String(int(r, 0, 999)).padStart(3, "0")}.${p2(int(r, 0, 99))}元`,
  ],
];

export function personalCases(perKind: number, seed = 1): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  for (const [, make] of [...PERSONAL, ...NAMES_AND_ADDRESSES]) for (let i = 0; i < perKind; i++) out.push(make(r));
  return out;
}

export function ordinaryCases(perKind: number, seed = 2): Array<{ kind: string; text: string }> {
  const r = rng(seed);
  const out: Array<{ kind: string; text: string }> = [];
  for (const [kind, make] of ORDINARY) for (let i = 0; i < perKind; i++) out.push({ kind, text: make(r) });
  return out;
}

// ---- judging ----

const CN_DIGITS: Record<string, string> = {};
for (const style of [LOWER, LOWER_ZERO, UPPER, SPOKEN]) {
  for (let i = 0; i < 10; i++) CN_DIGITS[style[i] as string] = String(i);
}

/** Letters and digits only, half-width, Chinese numerals as digits, lower case. */
export function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/./gsu, (c) => CN_DIGITS[c] ?? c)
    .toLowerCase()
    .replace(/[^0-9a-z\u4e00-\u9fff]/g, "");
}

/**
 * Whether any of the secret survives in `masked`: the whole of a short secret, or any seven
 * consecutive characters of a long one (half a card number is a leak too).
 */
export function leaks(masked: string, secret: string): boolean {
  const out = normalise(masked);
  const s = normalise(secret);
  if (s.length < 10) return out.includes(s);
  for (let i = 0; i + 7 <= s.length; i++) if (out.includes(s.slice(i, i + 7))) return true;
  return false;
}
