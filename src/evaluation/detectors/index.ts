// The deterministic detectors: families of service habits found in a trainee's words, in
// Chinese (simplified, traditional, Cantonese) and English.
export { type DetectorAdditions, type DetectorHit, detect, type TurnText } from "./detect.ts";
export {
  CAN_DO_FAMILIES,
  type DetectorKind,
  EMPATHY_FAMILIES,
  FAMILY_IDS,
  type FamilyId,
  kindOf,
  TABOO_FAMILIES,
} from "./families.ts";
export { detectorMessages } from "./messages.ts";
export { type PatternFault, patternProblems } from "./validate.ts";
