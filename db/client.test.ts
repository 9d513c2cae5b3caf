// The embedded database's folder handling: nested folders are created, and a second process is refused.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, isReady, openDatabase } from "./client";

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mac-db-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("openDatabase on PGlite", () => {
  it("creates missing parent folders, migrates, seeds once and keeps data across reopen", async () => {
    const dataDir = path.join(tempDir(), "nested", "deeper", "data");
    const first = await openDatabase({ dataDir, seedDemo: true });
    expect(await isReady(first)).toBe(true);
    await first.query(`update services set name = 'renamed' where id = 'svc-001'`);
    await first.close();
    expect(fs.existsSync(path.join(dataDir, "lock.pid"))).toBe(false);

    // A restart neither re-seeds nor loses what was saved.
    const second = await openDatabase({ dataDir, seedDemo: true });
    const rows = await second.query<{ name: string; n: number }>(
      `select (select name from services where id = 'svc-001') as name, (select count(*)::int from clients) as n`,
    );
    expect(rows[0]).toEqual({ name: "renamed", n: 2 });
    await second.close();
  });

  it("refuses a DATA_DIR that a live process holds, naming the process and what to do", async () => {
    const dataDir = tempDir();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      fs.writeFileSync(path.join(dataDir, "lock.pid"), String(other.pid));
      const opening = openDatabase({ dataDir });
      await expect(opening).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(opening).rejects.toThrow(
        new RegExp(`in use by process ${other.pid}.*DATABASE_URL`),
      );
      // Nothing was created in the folder the other process owns.
      expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(false);
    } finally {
      other.kill();
    }
  });

  it("takes over a lock left by a process that has gone", async () => {
    const dataDir = tempDir();
    const gone = spawn(process.execPath, ["-e", "0"]);
    await new Promise((resolve) => gone.once("exit", resolve));
    fs.writeFileSync(path.join(dataDir, "lock.pid"), String(gone.pid));
    const database = await openDatabase({ dataDir });
    expect(fs.readFileSync(path.join(dataDir, "lock.pid"), "utf8")).toBe(String(process.pid));
    await database.close();
  });
});
