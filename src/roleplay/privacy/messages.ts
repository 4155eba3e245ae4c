// What a masked piece of text is replaced with, in the language of the session.
import { defineMessages } from "../../i18n/index.ts";
import type { PiiKind } from "./kinds.ts";

export const privacyLabels = defineMessages({
  en: {
    card: "[card number hidden]",
    account: "[account number hidden]",
    id_number: "[ID number hidden]",
    mobile: "[phone number hidden]",
    phone: "[phone number hidden]",
    email: "[email hidden]",
    security_code: "[security code hidden]",
    passport: "[passport number hidden]",
    permit: "[permit number hidden]",
    tax_id: "[tax number hidden]",
    iban: "[IBAN hidden]",
    payment_account: "[payment account hidden]",
    name: "[name hidden]",
    address: "[address hidden]",
  } satisfies Record<PiiKind, string>,
  "zh-CN": {
    card: "［卡号已隐藏］",
    account: "［账号已隐藏］",
    id_number: "［身份证号已隐藏］",
    mobile: "［手机号已隐藏］",
    phone: "［电话号码已隐藏］",
    email: "［邮箱已隐藏］",
    security_code: "［安全码已隐藏］",
    passport: "［护照号已隐藏］",
    permit: "［证件号已隐藏］",
    tax_id: "［税号已隐藏］",
    iban: "［IBAN已隐藏］",
    payment_account: "［支付账号已隐藏］",
    name: "［姓名已隐藏］",
    address: "［地址已隐藏］",
  },
});
