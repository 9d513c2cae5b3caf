// The newcomer's path (issue 6): a fresh clone started with `npm start` prints the first admin's email and a
// one-time password; those must work in the sign-in form. This spec starts its own production server the way
// `npm start` does (scripts/start.mjs, on a fresh DATA_DIR and a free port, no AUTH_SECRET, no accounts made by
// the test), reads the credentials from what it prints, and signs in through the form.
import AxeBuilder from "@axe-core/playwright";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | null = null;
let dataDir = "";
let output = "";

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a fresh `npm start` prints the first admin, who signs in through the form", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "model-console-newcomer-"));
  // What a newcomer's shell has: none of the e2e server's settings.
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
  };
  for (const name of ["AUTH_SECRET", "DATABASE_URL", "SEED_DEMO", "NODE_ENV"]) delete env[name];
  const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = server;
  server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));

  // The credentials box, as a person reads it in the terminal.
  await expect
    .poll(() => output, { timeout: 180_000, message: "the first-start admin box" })
    .toMatch(/password:\s+\S+/);
  const email = /email:\s+(\S+)/.exec(output)?.[1];
  const password = /password:\s+(\S+)/.exec(output)?.[1];
  expect(email).toBe("admin@localhost");
  expect(password).toBeTruthy();

  const base = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await page.request.get(`${base}/v2/health/ready`)).status(), {
      timeout: 60_000,
    })
    .toBe(200);

  await page.goto(`${base}/`);
  await expect(page).toHaveURL(/\/login/);
  // A favicon, even before signing in (no 404 on every page).
  expect((await page.request.get(`${base}/favicon.ico`)).status()).toBe(200);
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect((await page.request.get(new URL(icon!, base).href)).status()).toBe(200);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual(
    [],
  );
  await page.getByLabel("Email").fill(email!);
  await page.getByLabel("Password").fill(password!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter a valid email address")).toHaveCount(0);
  await expect(page).toHaveURL(`${base}/clients`);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const me = await page.request.get(`${base}/v2/me`);
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    subject: "user:admin@localhost",
    must_change_password: true,
  });

  // The printed password is good for one sign-in: the admin chooses their own before anything else.
  await expect(page.getByRole("heading", { name: "Choose your own password first" })).toBeVisible();
  expect((await page.request.get(`${base}/v2/clients`)).status()).toBe(403);
  await page.getByRole("link", { name: "Go to My account to change it" }).click();
  await expect(page.getByText("Choose your own password to go on.")).toBeVisible();
  const mine = "my own admin password 1";
  await page.getByLabel("Current password").fill(password!);
  await page.getByLabel("New password", { exact: true }).fill(mine);
  await page.getByLabel("New password again").fill(mine);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Choose your own password to go on.")).toHaveCount(0);
  await page.goto(`${base}/clients`);
  await expect(page.getByRole("heading", { name: "Choose your own password first" })).toHaveCount(
    0,
  );
  expect((await page.request.get(`${base}/v2/clients`)).status()).toBe(200);

  // A second terminal while the server runs: the README's `npm run token` prints a working token, listed on Access.
  const minted = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const cli = spawn(
      "npm",
      [
        "run",
        "-s",
        "token",
        "--",
        "--sub",
        "newcomer-bot",
        "--scope",
        "assignments:read",
        "--client",
        "client-1",
      ],
      {
        cwd: root,
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    cli.stdout.on("data", (c: Buffer) => (out += c.toString()));
    cli.stderr.on("data", (c: Buffer) => (err += c.toString()));
    cli.on("close", (code) => resolve({ code, out: out.trim(), err }));
  });
  expect(minted.code, minted.err).toBe(0);
  const used = await page.request.get(`${base}/v2/clients/client-1/domains`, {
    headers: { authorization: `Bearer ${minted.out}` },
  });
  expect(used.status()).toBe(200);
  await page.goto(`${base}/access`);
  await expect(
    page
      .getByRole("table", { name: "API tokens" })
      .getByRole("row")
      .filter({ hasText: "newcomer-bot" }),
  ).toBeVisible();
});
