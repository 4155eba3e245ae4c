// How a family of habits is written down for the detectors, and what a language pack holds.
import type { Lexicons } from "./pattern.ts";

export {
  CAN_DO_FAMILIES,
  type CanDoFamily,
  type DetectorKind,
  EMPATHY_FAMILIES,
  type EmpathyFamily,
  FAMILY_IDS,
  type FamilyId,
  kindOf,
  TABOO_FAMILIES,
  type TabooFamily,
} from "../../domain/detectors.ts";

import type { FamilyId } from "../../domain/detectors.ts";

/** What cancels a softer form of a habit when it comes in the same turn. */
export type Redeemer = "reason" | "can_do" | "apology";

export interface FamilySpec {
  id: FamilyId;
  /** Forms that are the habit whatever else the turn says. */
  patterns: readonly string[];
  /**
   * Forms that are the habit only when the turn does not redeem them: a rule explained with its
   * reason or an alternative, an "I don't know" followed by "let me check".
   */
  soft?: { patterns: readonly string[]; redeemedBy: readonly Redeemer[] };
  /** A hit right after one of these (in the same clause) is cancelled: 不是你的问题, "no need for you to". */
  notAfter?: readonly string[];
  /** A hit right before one of these is cancelled: 我帮你办不了. */
  notBefore?: readonly string[];
}

/** Everything the detectors know about one language. */
export interface LanguagePack {
  lexicons: Lexicons;
  families: readonly FamilySpec[];
  /** Words that report what the customer said or feels: a taboo right after them is a quote. */
  reporting: readonly string[];
  /** Characters that, right before a reporting word, make it no report (跟你说 is "tell you"). */
  reportingBlockers: string;
  /** The reasons a rule is there for (to protect your money ...): they redeem soft forms. */
  reasons: readonly string[];
  /**
   * How a flat contradiction opens a turn ("不对吧", "No, ..."): said by a colleague, or by the
   * trainee right after a colleague spoke, it is staff disagreeing in front of the customer.
   */
  contradictionOpeners: readonly string[];
  /** A single turn longer than this (characters for Chinese, words for English) is a monologue. */
  ramblingLength: number;
}
