// The embedded database's folder handling: nested folders are created, and a second process is refused.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, lockHolderAlive, procStat } from "./client";
import { isReady, openDatabase } from "./open";

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
  it("keeps the folder private to its owner: folders 0700 and files 0600, an earlier loose folder fixed at start", async () => {
    const dataDir = path.join(tempDir(), "data");
    const first = await openDatabase({ dataDir, seedDemo: true });
    await first.close();
    // As an earlier version left it: world-readable and writable.
    const loosen = (at: string) => {
      fs.chmodSync(at, 0o777);
      for (const e of fs.readdirSync(at, { withFileTypes: true }))
        if (e.isDirectory()) loosen(path.join(at, e.name));
        else fs.chmodSync(path.join(at, e.name), 0o666);
    };
    loosen(dataDir);
    const second = await openDatabase({ dataDir, seedDemo: true });
    await second.query(`update services set name = 'written after the fix' where id = 'svc-001'`);
    const loose: string[] = [];
    const check = (at: string) => {
      if ((fs.statSync(at).mode & 0o077) !== 0) loose.push(at);
      for (const e of fs.readdirSync(at, { withFileTypes: true })) {
        const full = path.join(at, e.name);
        if (e.isDirectory()) check(full);
        else if ((fs.statSync(full).mode & 0o077) !== 0) loose.push(full);
      }
    };
    check(dataDir);
    await second.close();
    expect(loose).toEqual([]);
  });

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
    expect(fs.readFileSync(path.join(dataDir, "lock.pid"), "utf8").split(" ")[0]).toBe(
      String(process.pid),
    );
    await database.close();
  });

  // A server SIGKILLed a moment ago can still be a zombie until its parent reaps it: kill(pid, 0) succeeds on it.
  it.runIf(fs.existsSync("/proc/self/stat"))(
    "takes over a lock whose holder is a zombie (killed, not yet reaped)",
    async () => {
      const dataDir = tempDir();
      // sh starts a short child, then becomes `sleep 30`, which never reaps it: the child stays a zombie.
      const parent = spawn("sh", ["-c", "sleep 0.05 & echo $!; exec sleep 30"]);
      try {
        const zombie = Number(
          await new Promise<string>((resolve) =>
            parent.stdout.once("data", (d: Buffer) => resolve(d.toString())),
          ),
        );
        for (let i = 0; i < 100 && procStat(zombie) !== "gone"; i++) {
          const stat = procStat(zombie);
          if (stat && stat !== "gone" && stat.state === "Z") break;
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(procStat(zombie)).toMatchObject({ state: "Z" });
        // It still "exists" for kill(pid, 0).
        expect(() => process.kill(zombie, 0)).not.toThrow();
        fs.writeFileSync(path.join(dataDir, "lock.pid"), String(zombie));
        expect(lockHolderAlive(String(zombie))).toBe(false);
        const database = await openDatabase({ dataDir });
        await database.close();
      } finally {
        parent.kill("SIGKILL");
      }
    },
  );

  it.runIf(fs.existsSync("/proc/self/stat"))(
    "tells a recycled pid from the holder by its start time",
    async () => {
      const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
      try {
        await new Promise((resolve) => other.once("spawn", resolve));
        const stat = procStat(other.pid!);
        if (!stat || stat === "gone") throw new Error("no /proc entry for the child");
        expect(lockHolderAlive(`${other.pid} ${stat.startTime}`)).toBe(true);
        // Same pid, another start time: the pid now belongs to a different process than the one that locked.
        expect(lockHolderAlive(`${other.pid} ${Number(stat.startTime) - 1}`)).toBe(false);
      } finally {
        other.kill();
      }
    },
  );
});
