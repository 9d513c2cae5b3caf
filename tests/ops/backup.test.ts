// Backup and restore of the embedded database, the way an operator runs them: write over the API, stop the server,
// `npm run backup`, `npm run restore` into a new DATA_DIR, start a server there and read the data back.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, type RunningServer } from "../helpers/server";
import { createStore, KEY_BASE, recordToken, startOn, tempDir, type Store } from "./ops-helpers";

function npmRun(script: "backup" | "restore", args: string[], env: Record<string, string>) {
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  const result = spawnSync("npm", ["run", "-s", script, "--", ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    encoding: "utf8",
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("npm run backup / npm run restore (embedded database)", () => {
  const stores: Store[] = [];
  const servers: RunningServer[] = [];
  const scratch = tempDir("mac-backup-");

  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const s of stores) await s.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("round-trips the data through a backup file into a new folder", async () => {
    const source = await createStore("pglite");
    stores.push(source);
    // Recorded in the source database: the restored copy accepts it too.
    const token = await recordToken(
      source,
      ["assignments:write", "assignments:read"],
      "backup-test",
    );
    const adminToken = await recordToken(source, ["admin"], "backup-admin");
    const server = await startOn(source);
    servers.push(server);
    const put = await fetch(`${server.url}${KEY_BASE}/backed-up`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        model_id: "example-model",
        model_version: "1.0.0",
        metadata: { note: "written before the backup" },
      }),
    });
    expect(put.status).toBe(200);
    const written = (await put.json()) as { assignment_id: string };

    const file = path.join(scratch, "console.tar.gz");
    // While the server holds the folder, the backup refuses and says why.
    const refused = npmRun("backup", ["--out", file], { DATA_DIR: source.dataDir! });
    expect(refused.status).toBe(2);
    expect(refused.out).toMatch(/in use by process \d+.*stop that process/s);
    expect(fs.existsSync(file)).toBe(false);

    await server.stop();
    const made = npmRun("backup", ["--out", file], { DATA_DIR: source.dataDir! });
    expect(made.out).toMatch(/Backed up the embedded database/);
    expect(made.status).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    // It holds password hashes and the audit log: readable by its owner only.
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // An existing backup file is not overwritten by accident.
    const again = npmRun("backup", ["--out", file], { DATA_DIR: source.dataDir! });
    expect(again.status).toBe(2);
    expect(again.out).toMatch(/already exists.*--force/);

    // Restore into a new, empty folder and serve from it.
    const target = await createStore("pglite");
    stores.push(target);
    const restored = npmRun("restore", ["--in", file], { DATA_DIR: target.dataDir! });
    expect(restored.out).toMatch(/Restored/);
    expect(restored.status).toBe(0);
    const second = await startOn(target);
    servers.push(second);
    const read = await fetch(`${second.url}/v2/assignments/${written.assignment_id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { metadata: { note: string } }).metadata.note).toBe(
      "written before the backup",
    );
    // The restored database's audit log says who restored which file.
    const audit = await fetch(`${second.url}/v2/audit?action=backup.restore`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const entries = ((await audit.json()) as { items: { actor: string; entity_id: string }[] })
      .items;
    expect(entries).toEqual([
      expect.objectContaining({
        actor: `cli:${os.userInfo().username}`,
        entity_id: "console.tar.gz",
      }),
    ]);
    await second.stop();

    // Restoring over an existing database needs --force, and keeps the replaced one aside.
    const over = npmRun("restore", ["--in", file], { DATA_DIR: target.dataDir! });
    expect(over.status).toBe(2);
    expect(over.out).toMatch(/already holds a database.*--force/);
    const forced = npmRun("restore", ["--in", file, "--force"], { DATA_DIR: target.dataDir! });
    expect(forced.status).toBe(0);
    expect(
      fs.readdirSync(target.dataDir!).some((f) => f.startsWith("pglite.before-restore-")),
    ).toBe(true);

    // A file that is not a backup changes nothing.
    const junk = path.join(scratch, "junk.tar.gz");
    fs.writeFileSync(junk, "not a tarball");
    const empty = tempDir("mac-restore-");
    try {
      const bad = npmRun("restore", ["--in", junk], { DATA_DIR: empty });
      expect(bad.status).toBe(2);
      expect(bad.out).toMatch(
        /is not a backup of this app's embedded database.*Nothing was changed/s,
      );
      expect(fs.existsSync(path.join(empty, "pglite"))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 300_000);
});
