// Tests that spawn bin/roleplay.js run the compiled dist/, as users do. So that they never run
// stale code, the sources are compiled before the run whenever any of them is newer than the build.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The build's time stamp: the compiler writes every output, so one file stands for all. */
function builtAt(): number {
  try {
    return fs.statSync(path.join(root, "dist", "cli.js")).mtimeMs;
  } catch {
    return 0;
  }
}

export default function setup(): void {
  const sources = Math.max(
    newestSource(path.join(root, "src")),
    ...["tsconfig.json", "tsconfig.build.json"].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
  );
  if (builtAt() >= sources) return;
  // A removed source must not survive as a stale output.
  fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
