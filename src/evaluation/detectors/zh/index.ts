// The Chinese language pack: lexicons, the taboo and service families, and the words that mark a
// quote of the customer or a reason given for a rule.
import type { LanguagePack } from "../families.ts";
import { lexicons } from "./lexicons.ts";
import { rambling } from "./rambling.ts";
import { service } from "./service.ts";
import { taboo } from "./taboo.ts";

export const zh: LanguagePack = {
  lexicons,
  families: [...taboo, ...service],
  reporting: ["你(刚才|刚刚|之前|是)?(说|讲|提到|反映|觉得|认为|的意思是|问)", "(客户|有人)(说|反映|投诉)"],
  reportingBlockers: "跟给和对向帮替听与同",
  reasons: ["{reason}"],
  contradictionOpeners: [
    "(不对|不是|不用|错了)(吧|啊|呀|呢|的)?(,|!|\\.|。|不对)",
    "不是(这样|那样|这么回事)",
    "(哪有|没有的事|乱讲|瞎说)",
    "你(说|讲|搞|记)?错了",
    "(你|他|她)..6(是)?(特殊情况|个例|例外)",
    "(我说|说了)(能|行|可以)就(能|行|可以)",
  ],
  rambling,
};
