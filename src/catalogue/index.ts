export { type Catalogue, type CatalogueOptions, formatProblem, loadCatalogue } from "./catalogue.ts";
export { contentHash, MAX_FILE_BYTES, type Problem } from "./load.ts";
