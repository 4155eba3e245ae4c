// Defences against hostile trainee input that both the session engine and the evaluation use.
export { isManipulation, type ManipulationHit, type ManipulationKind, manipulationIn } from "./manipulation.ts";
export { plainText } from "./plain-text.ts";
