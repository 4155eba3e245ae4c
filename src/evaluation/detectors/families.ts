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
  /**
   * A hit whose clause shows the staff doing something for the customer (按投诉流程给你处理) is
   * cancelled, unless the clause also matches one of `unless` (a refusal: 按规定不能给你办).
   */
  servedBy?: { patterns: readonly string[]; unless: readonly string[] };
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
  /** How rambling (滔滔不绝) shows in the shape of a turn: see rambling.ts. */
  rambling: RamblingSpec;
}

/** Sizes are Han characters for Chinese and words for English. */
export interface RamblingSpec {
  /** A turn longer than this is a monologue whatever it says. */
  monologue: number;
  /** Shorter turns are never read as rambling... */
  minSize: number;
  /** ...nor turns less than this many times the size of the customer's message they answer. */
  ratio: number;
  /** The speaker, the bank, its systems and procedures: what a self-centred turn talks about. */
  self: readonly string[];
  /** The customer: what a focused turn talks about. */
  customer: readonly string[];
  /** Procedure steps, kinds and cases, generalities, background, digressions: a lecture. */
  lecture: readonly string[];
  /** The words that join any explanation (because, if, or): each counts half a lecture marker. */
  glue: readonly string[];
  /** How a turn addresses the customer before it replies (先生, "Hi"). */
  address: readonly string[];
  /** How a direct reply opens a turn (yes, no, "you can"): the answer is not buried. */
  reply: readonly string[];
  /** The staff taking a step for the customer (我现在就帮你查, "let me check"): acting, not lecturing. */
  acting: readonly string[];
  /** An offer anywhere in the turn (我们可以预约, "you can also"): it needs one more lecture marker. */
  offering: readonly string[];
  /**
   * Answers to what the customer asked: when their message matches `asks`, an opening that matches
   * `opening` (anywhere in it, or right at the start when `atStart`) answers them. A figure answers
   * "how long" (三个工作日, "within two days"), "because" answers "why"; asked nothing, a figure is
   * one more detail of the lecture.
   */
  answers: ReadonlyArray<{ asks: readonly string[]; opening: readonly string[]; atStart?: boolean }>;
  /** A lecture has at least this many markers, and at least one per this many of size. */
  lectureMin: number;
  lecturePer: number;
}
