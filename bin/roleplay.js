#!/usr/bin/env node
// The `roleplay` executable. It runs the compiled output in dist/, which `npm ci` builds (the
// `prepare` script) and `npm run build` rebuilds: no TypeScript compiler at each start.
let cli;
try {
  cli = await import("../dist/cli.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes("dist")) throw e;
  // Before any of the tool's code (and its message tables) can load, so both languages at once.
  process.stderr.write("roleplay: not built yet, run: npm run build   (尚未构建，请运行：npm run build)\n");
  process.exit(1);
}
await cli.run();
