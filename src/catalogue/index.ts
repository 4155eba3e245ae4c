export { type Catalogue, type CatalogueOptions, loadCatalogue } from "./catalogue.ts";
export { type CheckOutcome, checkCatalogue } from "./check.ts";
export { contentHash, formatProblem, MAX_FILE_BYTES, type Problem } from "./load.ts";
