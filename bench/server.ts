// Starts the production build (scripts/server.mjs, the `npm start` entry) for the bench, optionally pinned to CPU cores with taskset.
import { spawnSync } from "node:child_process";
import net from "node:net";
import { startServer } from "../tests/helpers/server";

export { ROOT } from "../tests/helpers/server";

export function hasTaskset(): boolean {
  return spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A free localhost port, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export { pinned } from "../tests/helpers/server";
export type { RunningServer as BenchServer } from "../tests/helpers/server";

/** The production server for the bench: the same starter as the tests', pinned to `cores` when given. */
export function startBenchServer(options: {
  port: number;
  env: Record<string, string>;
  nodeArgs?: string[];
  cores: string | null;
}) {
  return startServer(options);
}
