// Pins the local PostgreSQL's processes to one core (the app's core) during the PostgreSQL runs, and puts
// them back afterwards. New backends fork from the pinned postmaster, so they inherit the pin.
import { spawnSync } from "node:child_process";

function postgresPids(): number[] {
  // -x: processes whose name is exactly "postgres" (the postmaster and its children), never a command line
  // that merely mentions postgres (like ours).
  const res = spawnSync("pgrep", ["-x", "postgres"], { encoding: "utf8" });
  return (res.stdout ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

function affinityOf(pid: number): string | null {
  const res = spawnSync("taskset", ["-c", "-p", String(pid)], { encoding: "utf8" });
  const m = /list:\s*(\S+)/.exec(res.stdout ?? "");
  return m ? m[1]! : null;
}

type PinResult = { pinned: boolean; note: string; restore: () => void };

export function pinPostgres(cores: string): PinResult {
  const pids = postgresPids();
  if (pids.length === 0)
    return {
      pinned: false,
      note: "no local postgres processes found (pgrep -x postgres): PostgreSQL not pinned",
      restore: () => {},
    };
  const original = affinityOf(Math.min(...pids)) ?? "0-1023";
  let ok = 0;
  for (const pid of pids) {
    const res = spawnSync("taskset", ["-a", "-p", "-c", cores, String(pid)], { stdio: "ignore" });
    if (res.status === 0) ok++;
  }
  let restored = false;
  return {
    pinned: ok > 0,
    note:
      ok > 0
        ? `pinned ${ok} postgres processes to core ${cores} (was ${original})`
        : "taskset on the postgres processes failed: PostgreSQL not pinned",
    restore: () => {
      if (restored) return;
      restored = true;
      for (const pid of postgresPids())
        spawnSync("taskset", ["-a", "-p", "-c", original, String(pid)], { stdio: "ignore" });
    },
  };
}
