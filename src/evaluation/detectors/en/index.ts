// The English language pack: lexicons, the taboo and service families, and the words that mark a
// quote of the customer or a reason given for a rule.
import type { LanguagePack } from "../families.ts";
import { lexicons } from "./lexicons.ts";
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
  ramblingLength: 140,
};
