import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./scripts/chromium.mjs";

// Debian's Chromium where it exists (Playwright can't download browsers on these machines); elsewhere
// Playwright's own (`npm test` installs it first when neither exists: scripts/chromium.mjs).
const browser = findChromium();
const systemChromium = browser.kind === "system" ? browser.executablePath : undefined;
// A port per run (inherited by Playwright's workers through the environment), so concurrent runs on one
// machine don't collide; their servers take turns through e2e/start-server.mjs's lock.
// The local identity provider listens 1,000 above (e2e/settings.mjs); 4369 is Erlang's port mapper on many hosts.
if (!process.env.E2E_PORT) {
  let port = 3300 + Math.floor(Math.random() * 200);
  if (port + 1000 === 4369) port += 1;
  process.env.E2E_PORT = String(port);
}
const PORT = Number(process.env.E2E_PORT);

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `node e2e/start-server.mjs`,
    url: `http://127.0.0.1:${PORT}/v2/health/ready`,
    // Long: the server script waits its turn if another e2e run holds the machine, and may build first.
    timeout: 1_500_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT) },
  },
});
