// Which Chromium the e2e suite runs in: the system's (Debian's /usr/bin/chromium, where Playwright can't download
// browsers) when there is one, else Playwright's own. When neither exists (a fresh machine), `npm test` installs
// Playwright's Chromium first, or says in one line what to run, instead of ending in "Executable doesn't exist".
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
export const INSTALL_COMMAND = "npx playwright install chromium";

/** Where Playwright's own Chromium lives (installed or not), or null when Playwright can't say. */
async function playwrightChromiumPath() {
  try {
    const { chromium } = await import("@playwright/test");
    return chromium.executablePath() || null;
  } catch {
    return null;
  }
}

/**
 * The browser to use: `{ kind: "system", executablePath }`, `{ kind: "playwright", executablePath }`, or
 * `{ kind: "missing" }`. Paths and the existence check are injectable for tests.
 */
export function findChromium({
  candidates = SYSTEM_CHROMIUM,
  playwrightPath = null,
  exists = fs.existsSync,
} = {}) {
  const system = candidates.find((p) => exists(p));
  if (system) return { kind: "system", executablePath: system };
  if (playwrightPath && exists(playwrightPath))
    return { kind: "playwright", executablePath: playwrightPath };
  return { kind: "missing" };
}

/**
 * Makes sure a Chromium exists before the e2e suite: installs Playwright's when none does (one line says so).
 * Returns true when a browser is there afterwards; otherwise prints one line saying what to run.
 */
export async function ensureChromium({
  candidates = SYSTEM_CHROMIUM,
  playwrightPath,
  exists = fs.existsSync,
  install = () =>
    spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" }).status === 0,
  log = (line) => console.log(line),
} = {}) {
  const where = playwrightPath === undefined ? await playwrightChromiumPath() : playwrightPath;
  const found = findChromium({ candidates, playwrightPath: where, exists });
  if (found.kind !== "missing") return true;
  log(
    `[test] no Chromium found (${candidates.join(", ")} or Playwright's own): installing it with \`${INSTALL_COMMAND}\`...`,
  );
  if (install() && findChromium({ candidates, playwrightPath: where, exists }).kind !== "missing")
    return true;
  log(
    `[test] could not install Chromium: run \`${INSTALL_COMMAND}\` (or install your system's chromium package), then \`npm test\` again; \`npm test -- --no-e2e\` skips the browser tests.`,
  );
  return false;
}
