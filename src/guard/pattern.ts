// One manipulation pattern: a family (kind) and the regular expression that finds it in the
// plain (normalised) text.
import { S } from "./vocabulary.ts";

export type ManipulationKind =
  | "ignore_instructions"
  | "role_switch"
  | "fake_role_marker"
  | "address_evaluator"
  | "ask_for_score"
  | "state_override"
  | "fake_boundary"
  | "fake_json"
  | "reveal_prompt";

export interface ManipulationHit {
  kind: ManipulationKind;
  /** The matched text, in its plain (normalised) form. */
  match: string;
}

export interface Pattern {
  kind: ManipulationKind;
  re: RegExp;
}

export const p = (kind: ManipulationKind, source: string): Pattern => ({ kind, re: new RegExp(source, "u") });
export const optional = (source: string) => `(?:${source}${S})?`;
