// The command line run straight from the TypeScript sources (`npm run dev -- ...`), for working on
// the project without rebuilding; users run the compiled bin/roleplay.js.
import { run } from "./cli.ts";

await run();
