// What the masker recognises, and the words that announce each kind. Keyword patterns run on the
// folded copy (see fold.ts): Chinese digits are already ASCII there, so "背面三位数" reads "背面3位数".

export type PiiKind =
  | "card"
  | "account"
  | "id_number"
  | "mobile"
  | "phone"
  | "email"
  | "security_code"
  | "passport"
  | "permit"
  | "tax_id"
  | "iban"
  | "payment_account"
  | "name"
  | "address";

export interface Span {
  start: number;
  end: number;
  kind: PiiKind;
}

/** Kinds a keyword can announce for the digits or code that follow it. */
export type KeywordKind = Exclude<PiiKind, "email" | "iban" | "name" | "address" | "mobile"> | "reference" | "amount";

// Order matters only for equal-length overlaps; the nearest keyword before a number wins.
const KEYWORDS: Array<[KeywordKind, string]> = [
  [
    "security_code",
    "密码|验证码|動態碼|动态码|校验码|校驗碼|短信码|确认码|安全码|安全碼|口令|cvv2?|cvn2?|cvc2?|卡背面?的?|背面的?|后3位|後3位|末3位|\\bpin\\b|pin码|password|passcode|pass code|\\botp\\b|security code|verification code|one[- ]time code|auth(?:entication)? code|sms code|access code|短信验证码",
  ],
  ["card", "卡号|卡號|银行卡|銀行卡|信用卡|借记卡|储蓄卡|储蓄卡号|card number|card no|card num|card #|\\bcard\\b"],
  [
    "account",
    "账号|帐号|賬號|账户|帐户|賬戶|户号|戶號|对公|收款账|付款账|account number|account no|acct|\\ba/c\\b|\\baccount\\b",
  ],
  [
    "id_number",
    "身份证|身份證|证件号|證件號|证件号码|证件|身份号码|公民身份|id number|id no|id card|identity card|identity number|identity no|\\bhkid\\b|national id|\\bid\\b|居民身份",
  ],
  [
    "phone",
    "手机|手機|电话|電話|座机|座機|联系方式|聯繫方式|来电|致电|打给|短信发到|phone|mobile|\\btel\\b|\\bcell\\b|\\bcall\\b|whatsapp|contact number|\\bfax\\b|传真",
  ],
  ["passport", "护照|護照|passport"],
  [
    "permit",
    "通行证|通行證|回乡证|回鄉證|台胞证|台胞證|居住证|居住證|居留证|居留證|永居证|永居|永久居留|residence permit|home return permit|\\bpermit\\b|\\barc\\b",
  ],
  [
    "tax_id",
    "税号|稅號|纳税人识别号|納稅人識別號|税务识别号|税务编号|纳税号|tax id|tax number|tax no|tax file number|\\btin\\b|\\bssn\\b|\\bitin\\b|\\bein\\b|social security|\\bnino\\b|national insurance",
  ],
  [
    "payment_account",
    "微信号|微信號|微信|weixin|wechat id|wechat|\\bwxid\\b|支付宝账号|支付宝|支付寶|alipay|qq号|qq號|\\bqq\\b|paypal|venmo|zelle|云闪付|雲閃付",
  ],
  [
    "reference",
    "编号|編號|流水|订单|訂單|单号|單號|交易号|凭证|憑證|工单|回执|受理号|业务号|批次|合同|保单|運單|运单|快递|发票|發票|序号|序號|网点|網點|行号|行號|联行|机构号|机构代码|工号|柜员号|reference|\\bref\\b|\\border\\b|ticket|\\bcase\\b|transaction|\\btxn\\b|invoice|tracking|serial|batch|confirmation|booking|branch|sort code|swift|routing|employee",
  ],
  [
    "amount",
    "金额|金額|余额|餘額|存款|取款|取了|存了|转了|转账|轉賬|汇款|匯款|还款|還款|额度|額度|利息|费用|手续费|工资|收入|共计|合计|总共|一共|价格|價格|¥|￥|\\$|€|£|\\brmb\\b|\\bcny\\b|\\busd\\b|\\bhkd\\b|\\bamount|\\bbalance|\\btotal|\\bprice|\\bfees?\\b|salary|\\bpaid\\b|\\bpay\\b",
  ],
];

const combined = KEYWORDS.map(([kind, source]) => `(?<${kind}>${source})`).join("|");

/** A fresh global, case-insensitive pattern finding every keyword; the named group says the kind. */
export function keywordPattern(): RegExp {
  return new RegExp(combined, "gi");
}

export function keywordKind(m: RegExpExecArray): KeywordKind | null {
  for (const [kind] of KEYWORDS) if (m.groups?.[kind] !== undefined) return kind;
  return null;
}

/** Units after a number that make it an amount, a count or a duration, never an identifier. */
export const UNIT_AFTER =
  /^[\s]{0,2}(?:元|块|塊|圆|圓|万|萬|亿|億|千|百|角|毛|%|%|‰|rmb|cny|usd|hkd|eur|gbp|jpy|yuan|dollars?|euros?|美元|美金|港币|港幣|港元|欧元|英镑|日元|人民币|笔|筆|次|天|个月|月|年|岁|歲|岁|分钟|分鐘|小时|小時|秒|人|张|張|份|倍|折|期)/i;

/** Where a keyword's reach ends: the end of a sentence or line. */
export const SENTENCE_END = /[。！？!?\n；;]/;
