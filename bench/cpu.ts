// CPU accounting from /proc (Linux): how busy each core was during a case, how much of that was the app
// server and PostgreSQL, and therefore how much was someone else (a shared machine contaminates figures).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

const HZ = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

type CoreTicks = { busy: number; total: number };
export type CpuSnapshot = {
  at: number;
  cores: CoreTicks[];
  server: number;
  postgres: Map<number, number>;
};
export type CpuUsage = {
  seconds: number;
  /** Busy % of each core (100 = the whole core). */
  cores: number[];
  /** CPU % (of one core) of the app server and of the PostgreSQL processes working for it. */
  server: number;
  postgres: number;
  /** CPU time used during the case, in ms, by the server and by PostgreSQL. */
  serverCpuMs: number;
  postgresCpuMs: number;
  /** Busy % of the app core not explained by the server and PostgreSQL (when they are pinned to it). */
  foreignOnAppCore: number;
  loadavg1: number;
};

function readCores(): CoreTicks[] {
  try {
    const lines = fs
      .readFileSync("/proc/stat", "utf8")
      .split("\n")
      .filter((l) => /^cpu\d+ /.test(l));
    return lines.map((l) => {
      const v = l.trim().split(/\s+/).slice(1).map(Number);
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
      const idle = (v[3] ?? 0) + (v[4] ?? 0);
      return { busy: total - idle, total };
    });
  } catch {
    return [];
  }
}

function processTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

/** Every local postgres process (when we can't tell which ones work for us). */
export function allPostgresPids(): number[] {
  const res = spawnSync("pgrep", ["-x", "postgres"], { encoding: "utf8" });
  return (res.stdout ?? "").split(/\s+/).filter(Boolean).map(Number);
}

/**
 * CPU counters now. `postgresPids` lists the PostgreSQL processes that count as ours (our database's backends,
 * the background workers); the core and server counters are read before it is awaited.
 */
export async function cpuSnapshot(
  serverPid: number | null,
  postgresPids: () => Promise<number[]> = async () => [],
): Promise<CpuSnapshot> {
  const at = performance.now();
  const cores = readCores();
  const server = serverPid ? processTicks(serverPid) : 0;
  const pids = await postgresPids();
  return { at, cores, server, postgres: new Map(pids.map((pid) => [pid, processTicks(pid)])) };
}

export function cpuUsage(
  a: CpuSnapshot,
  b: CpuSnapshot,
  options: { appCore: number | null; postgresOnAppCore: boolean },
): CpuUsage {
  const seconds = (b.at - a.at) / 1000;
  const cores = b.cores.map((c, i) => {
    const prev = a.cores[i];
    if (!prev || c.total === prev.total) return 0;
    return (100 * (c.busy - prev.busy)) / (c.total - prev.total);
  });
  const pct = (ticks: number) => (seconds > 0 ? (100 * ticks) / HZ / seconds : 0);
  const server = pct(b.server - a.server);
  // A backend that started during the case counts whole; one that ended takes its ticks with it.
  let pgTicks = 0;
  for (const [pid, ticks] of b.postgres) pgTicks += ticks - (a.postgres.get(pid) ?? 0);
  const postgres = Math.max(0, pct(pgTicks));
  const appCoreBusy = options.appCore !== null ? (cores[options.appCore] ?? 0) : NaN;
  const foreignOnAppCore = Math.max(
    0,
    appCoreBusy - server - (options.postgresOnAppCore ? postgres : 0),
  );
  return {
    seconds,
    cores,
    server,
    postgres,
    serverCpuMs: ((b.server - a.server) * 1000) / HZ,
    postgresCpuMs: (Math.max(0, pgTicks) * 1000) / HZ,
    foreignOnAppCore,
    loadavg1: os.loadavg()[0]!,
  };
}

/** Busy % of the whole machine over `ms` (all cores: 100 = every core busy). */
export async function machineBusy(ms = 2000): Promise<number> {
  const a = readCores();
  await new Promise((r) => setTimeout(r, ms));
  const b = readCores();
  let busy = 0;
  let total = 0;
  b.forEach((c, i) => {
    busy += c.busy - (a[i]?.busy ?? 0);
    total += c.total - (a[i]?.total ?? 0);
  });
  return total > 0 ? (100 * busy) / total : 0;
}
