// How `npm test` and playwright.config.ts pick Chromium, with the paths injected: the system's, else
// Playwright's own, else install Playwright's (one line says so), else one line saying what to run.
import { describe, expect, it } from "vitest";
import { ensureChromium, findChromium, INSTALL_COMMAND } from "../../scripts/chromium.mjs";

const SYSTEM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const OWN = "/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome";
const fsWith = (...present: string[]) => {
  const files = new Set(present);
  return { exists: (p: string) => files.has(p), add: (p: string) => files.add(p) };
};

describe("findChromium", () => {
  it("prefers the system Chromium, in the listed order", () => {
    const { exists } = fsWith("/usr/bin/chromium-browser", OWN);
    expect(findChromium({ candidates: SYSTEM, playwrightPath: OWN, exists })).toEqual({
      kind: "system",
      executablePath: "/usr/bin/chromium-browser",
    });
  });

  it("falls back to Playwright's own browser when it is installed", () => {
    const { exists } = fsWith(OWN);
    expect(findChromium({ candidates: SYSTEM, playwrightPath: OWN, exists })).toEqual({
      kind: "playwright",
      executablePath: OWN,
    });
  });

  it("reports missing when neither exists (or Playwright can't name its path)", () => {
    const { exists } = fsWith();
    expect(findChromium({ candidates: SYSTEM, playwrightPath: OWN, exists }).kind).toBe("missing");
    expect(findChromium({ candidates: SYSTEM, playwrightPath: null, exists }).kind).toBe("missing");
  });
});

describe("ensureChromium", () => {
  it("does nothing when a browser is there", async () => {
    const { exists } = fsWith("/usr/bin/chromium");
    const lines: string[] = [];
    let installs = 0;
    const ok = await ensureChromium({
      candidates: SYSTEM,
      playwrightPath: OWN,
      exists,
      install: () => (installs++, true),
      log: (l) => lines.push(l),
    });
    expect(ok).toBe(true);
    expect(installs).toBe(0);
    expect(lines).toEqual([]);
  });

  it("installs Playwright's Chromium on a fresh machine, saying so in one line", async () => {
    const fake = fsWith();
    const lines: string[] = [];
    const ok = await ensureChromium({
      candidates: SYSTEM,
      playwrightPath: OWN,
      exists: fake.exists,
      install: () => (fake.add(OWN), true),
      log: (l) => lines.push(l),
    });
    expect(ok).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(INSTALL_COMMAND);
  });

  it("says in one line what to run when the install fails (offline, no permission)", async () => {
    const lines: string[] = [];
    const ok = await ensureChromium({
      candidates: SYSTEM,
      playwrightPath: OWN,
      exists: fsWith().exists,
      install: () => false,
      log: (l) => lines.push(l),
    });
    expect(ok).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /could not install Chromium: run `npx playwright install chromium`.*npm test/,
    );
    expect(lines[1]).not.toContain("\n");
  });

  it("does not claim success when the install exits 0 but the browser is still absent", async () => {
    const lines: string[] = [];
    const ok = await ensureChromium({
      candidates: SYSTEM,
      playwrightPath: OWN,
      exists: fsWith().exists,
      install: () => true,
      log: (l) => lines.push(l),
    });
    expect(ok).toBe(false);
    expect(lines.at(-1)).toMatch(/could not install Chromium/);
  });
});
