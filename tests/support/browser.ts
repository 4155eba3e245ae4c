// The headless browser for the tests that render pages: the system's Chromium when there is one,
// otherwise the one inside the @sparticuz/chromium npm package (a binary shipped in the package,
// unpacked locally: nothing is downloaded at run time). So `npm ci && npm test` needs no apt-get.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Browser, chromium } from "playwright-core";

/** Where Debian, Ubuntu and Chrome put their browser. */
export const SYSTEM_BROWSERS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Flags that keep a test browser quiet and offline. */
const QUIET = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface BrowserChoice {
  executablePath: string;
  args: string[];
  source: "system" | "npm package";
}

/**
 * Picks the browser. `systemPaths` is where to look for an installed one; pass `[]` to act as a
 * machine without it (how the fallback is tested on machines that have one).
 */
export async function findBrowser(options: { systemPaths?: readonly string[] } = {}): Promise<BrowserChoice> {
  const installed = (options.systemPaths ?? SYSTEM_BROWSERS).find((p) => existsSync(p));
  if (installed) return { executablePath: installed, args: ["--headless", ...QUIET], source: "system" };
  const packaged = (await import("@sparticuz/chromium")).default;
  const executablePath = await unpackOnce(() => packaged.executablePath());
  // The package's flags are made for serverless hosts: one process for everything (which dies with
  // the first closed page here) and a relaxed same-origin policy (which would weaken what the page
  // tests see). Leave those out.
  const loosening = new Set(["--single-process", "--disable-web-security", "--allow-running-insecure-content"]);
  const args = [...packaged.args.filter((a) => !loosening.has(a)), ...QUIET];
  return { executablePath, args, source: "npm package" };
}

export async function launchBrowser(options: { systemPaths?: readonly string[] } = {}): Promise<{
  browser: Browser;
  choice: BrowserChoice;
}> {
  const choice = await findBrowser(options);
  const browser = await chromium.launch({ executablePath: choice.executablePath, args: choice.args, headless: true });
  return { browser, choice };
}

/** How long a first run may take to unpack the packaged browser (about 180 MB) on a busy machine. */
export const BROWSER_SETUP_MS = 240_000;

/**
 * The package unpacks into the temp folder and trusts any file already there, so two test workers
 * unpacking at once (or a run killed halfway) could leave a broken binary that later runs pick up.
 * One unpacks at a time, and a marker written after success tells a finished unpack from a partial one.
 */
async function unpackOnce(unpack: () => Promise<string>): Promise<string> {
  const marker = join(tmpdir(), "chromium.unpacked-by-roleplay-tests");
  if (existsSync(marker) && existsSync(join(tmpdir(), "chromium"))) return unpack();
  const lock = join(tmpdir(), "chromium.unpack-lock");
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      // A lock whose holder is gone (a test worker killed at a timeout) is taken over.
      if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true });
      if (waited > 300_000) throw new Error(`${lock} is held for too long; remove it if no test is running`);
      await sleep(200);
    }
  }
  try {
    if (!existsSync(marker)) rmSync(join(tmpdir(), "chromium"), { force: true });
    const path = await unpack();
    writeFileSync(marker, path);
    return path;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // Just created, its pid not written yet; or left without one long ago.
    return Date.now() - lockAge(lock) < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}
