// Starts the production build through the production entry (scripts/server.mjs, the same as `npm start`) as a
// separate process, for tests and benchmarks that need real servers; the build must exist
// (scripts/build-if-needed.mjs). Optionally pinned to CPU cores with taskset.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER_ENTRY = path.join(ROOT, "scripts", "server.mjs");

export type RunningServer = {
  url: string;
  pid: number;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
};

/** The command and arguments that run `node args…`, pinned to `cores` (e.g. "0") when given. */
export function pinned(
  cores: string | null | undefined,
  args: string[],
): { cmd: string; args: string[] } {
  return cores
    ? { cmd: "taskset", args: ["-c", cores, process.execPath, ...args] }
    : { cmd: process.execPath, args };
}

// The parent's database settings must not leak into the server: the caller says which database it uses.
const NOT_INHERITED = [
  "DATABASE_URL",
  "DATA_DIR",
  "PORT",
  "SEED_DEMO",
  "AUTH_SECRET",
  "DATABASE_POOL_SIZE",
  "NODE_OPTIONS",
  "METRICS_TOKEN",
  "LOG_LEVEL",
  "SHUTDOWN_GRACE_MS",
  "SHUTDOWN_DELAY_MS",
];

export async function startServer(options: {
  port: number;
  env: Record<string, string>;
  nodeArgs?: string[];
  cores?: string | null;
}): Promise<RunningServer> {
  let output = "";
  const { cmd, args } = pinned(options.cores, [
    ...(options.nodeArgs ?? []),
    SERVER_ENTRY,
    "-p",
    String(options.port),
    "-H",
    "127.0.0.1",
  ]);
  const inherited = { ...process.env };
  for (const key of NOT_INHERITED) delete inherited[key];
  // taskset execs node in place, so the child's pid is the server's pid.
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server on ${options.port} exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/v2/health/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server on ${options.port} not ready in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}
