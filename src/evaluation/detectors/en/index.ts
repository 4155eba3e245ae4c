// The English language pack: lexicons, the taboo and service families, and the words that mark a
// quote of the customer or a reason given for a rule.
import type { LanguagePack } from "../families.ts";
import { lexicons } from "./lexicons.ts";
import { rambling } from "./rambling.ts";
import { service } from "./service.ts";
import { taboo } from "./taboo.ts";

export const en: LanguagePack = {
  lexicons,
  families: [...taboo, ...service],
  reporting: [
    "you (said|say|mentioned|told me|feel|felt|think|thought|were told|are saying|asked|wrote|described)",
    "(when|if) (someone|anyone|they|people) (says|say|said|tell|tells|told)",
  ],
  reportingBlockers: "",
  reasons: ["{reason}"],
  contradictionOpeners: [
    "(no|nope|nah)(,|\\.|!)",
    "no (it|that|we|you|they|this) (is|was|can|cannot|do|does|will|are|did)",
    "(that is|it is|you are|he is|she is) (not right|not true|not correct|wrong|mistaken)",
    "that is not (how|what) (it|we)",
    "(not quite|not true|wrong)(,|\\.|!)",
  ],
  rambling,
};
