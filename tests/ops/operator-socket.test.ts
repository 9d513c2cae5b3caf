// `npm run token` and `npm run user` while the embedded server runs: the newcomer's second terminal. The commands
// are handed to the running production server over its socket in DATA_DIR (owner-only), recorded through the
// same code as POST /v2/tokens and /v2/users, and audited as the operating-system user.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, type RunningServer } from "../helpers/server";
import { createStore, recordToken, startOn, type Store } from "./ops-helpers";

const SECRET = "ops-test-secret-0123456789-abcdefghijklmnop";

/**
 * Runs `npm run -s <script> -- …` as a second terminal would. Asynchronously: a synchronous spawn would stall this
 * process's timers, and its HTTP client would then reuse a keep-alive connection the server has closed meanwhile.
 */
function npmRun(
  script: "token" | "user",
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.AUTH_SECRET;
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "-s", script, "--", ...args], {
      cwd: ROOT,
      env: { ...inherited, AUTH_SECRET: SECRET, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout: stdout.trim(), stderr }));
  });
}

/** One raw exchange on the socket, as any local program could send it. */
function rawExchange(socketPath: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = net.connect(socketPath, () => connection.write(text));
    let answer = "";
    connection.on("data", (chunk) => (answer += chunk.toString("utf8")));
    connection.on("end", () => resolve(answer));
    connection.on("error", reject);
  });
}

describe("npm run token / npm run user while the embedded server runs", () => {
  let store: Store;
  let server: RunningServer;
  let admin: string;
  const get = async <T>(url: string, token: string) => {
    const res = await fetch(`${server.url}${url}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    store = await createStore("pglite");
    admin = await recordToken(store, ["admin"], "socket-test-admin");
    server = await startOn(store);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await store?.drop();
  });

  it("mints a working token in a second terminal, listed and audited as the OS user", async () => {
    const env = { DATA_DIR: store.dataDir! };
    const made = await npmRun(
      "token",
      ["--sub", "deploy-bot", "--scope", "assignments:read", "--client", "client-1"],
      env,
    );
    expect(made.stderr).toMatch(/^token: recorded as [0-9a-f-]{36} \(expires /);
    expect(made.status).toBe(0);
    const jwt = made.stdout;
    expect(jwt.split(".")).toHaveLength(3);

    // It works against the running server at once, and is on the Access page's list.
    expect((await get("/v2/clients/client-1/domains", jwt)).status).toBe(200);
    const list = await get<{ items: { subject: string; created_by: string; id: string }[] }>(
      "/v2/tokens",
      admin,
    );
    const row = list.body.items.find((t) => t.subject === "deploy-bot");
    const user = os.userInfo().username;
    expect(row?.created_by).toBe(`cli:${user}`);
    const audit = await get<{ items: { action: string; actor: string; entity_id: string }[] }>(
      "/v2/audit?action=token.create",
      admin,
    );
    expect(audit.body.items.find((e) => e.entity_id === row!.id)?.actor).toBe(`cli:${user}`);

    // Refusals come back as the CLI always gave them, and write nothing.
    const bad = await npmRun(
      "token",
      ["--sub", "user:admin@localhost", "--scope", "models:read", "--client", "*"],
      env,
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/person's subject/);
  }, 240_000);

  it("adds and lists people through the running server", async () => {
    const env = { DATA_DIR: store.dataDir! };
    const added = await npmRun("user", ["add", "--email", "ops@intranet", "--role", "viewer"], env);
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/^added ops@intranet \(viewer\)\npassword: \S{12,}$/);
    const listed = await npmRun("user", ["list"], env);
    expect(listed.stdout.split("\n")).toContain("ops@intranet\tviewer");
    const again = await npmRun("user", ["add", "--email", "ops@intranet", "--role", "viewer"], env);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const people = await get<{ items: { email: string }[] }>("/v2/users", admin);
    expect(people.body.items.map((p) => p.email)).toContain("ops@intranet");
  }, 240_000);

  it("keeps the socket to the folder's owner and answers garbage with a refusal", async () => {
    const socketPath = path.join(store.dataDir!, "cli.sock");
    const stat = fs.statSync(socketPath);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(fs.statSync(store.dataDir!).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await rawExchange(socketPath, "not json\n"))).toEqual({
      ok: false,
      message: "the request is not JSON",
    });
    const unknown = JSON.parse(
      await rawExchange(socketPath, `${JSON.stringify({ op: "sql", os_user: "x" })}\n`),
    ) as { ok: boolean; message: string };
    expect(unknown.ok).toBe(false);
    expect(unknown.message).toMatch(/op/);
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
  });
});
