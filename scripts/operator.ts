// The command line's half of the operator commands: run directly on the database, or, when a running server holds
// the embedded folder, handed to that server over its socket in DATA_DIR (lib/server/operator/socket.ts).
import net from "node:net";
import os from "node:os";
import { DataDirLockedError } from "@/db/client";
import { openDatabase } from "@/db/open";
import { getEnv } from "@/lib/server/env";
import {
  runOperatorCommand,
  type OperatorRequest,
  type OperatorResult,
} from "@/lib/server/operator/commands";
import { operatorSocketPath } from "@/lib/server/operator/socket";

export const osUserName = (): string => {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? "unknown");
  }
};

function askServer(socketPath: string, request: OperatorRequest): Promise<OperatorResult> {
  return new Promise((resolve, reject) => {
    const connection = net.connect(socketPath);
    const chunks: Buffer[] = [];
    connection.setTimeout(60_000, () => connection.destroy(new Error("the server did not answer")));
    connection.once("connect", () => connection.write(`${JSON.stringify(request)}\n`));
    connection.on("data", (chunk: Buffer) => chunks.push(chunk));
    connection.once("error", reject);
    connection.once("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as OperatorResult);
      } catch {
        reject(new Error("the server's answer was not understood"));
      }
    });
  });
}

/** Errors that mean the server holds the folder but is still starting: its socket is not listening yet. */
const NOT_YET_LISTENING = new Set(["ENOENT", "ECONNREFUSED"]);

/**
 * Hands the request to the server, waiting up to `waitMs` for a server that holds the folder but has not opened its
 * socket yet (the first seconds after `npm start`: a second terminal's `npm run token` must not lose that race).
 */
export async function askServerWhenReady(
  socketPath: string,
  request: OperatorRequest,
  { waitMs = 20_000, onWait }: { waitMs?: number; onWait?: () => void } = {},
): Promise<OperatorResult> {
  const until = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      return await askServer(socketPath, request);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code || !NOT_YET_LISTENING.has(code) || Date.now() >= until) throw error;
      if (!told) onWait?.();
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Runs the command on the server's database: directly when it can open it, else through the running server's
 * socket. Throws with what to do when neither works.
 */
export async function runCommand(
  request: OperatorRequest,
  { seedDemo }: { seedDemo: boolean },
): Promise<OperatorResult> {
  const env = getEnv();
  let database;
  try {
    database = await openDatabase({
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolSize: 1,
      seedDemo,
    });
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const socketPath = operatorSocketPath(env.DATA_DIR);
    try {
      return await askServerWhenReady(socketPath, request, {
        onWait: () =>
          process.stderr.write("The server holding DATA_DIR is starting: waiting for it…\n"),
      });
    } catch (cause) {
      throw new Error(
        `${error.message}\nThe running server did not take the command over ${socketPath} ` +
          `(${(cause as Error).message}): stop the server and run this again, or use the console's Access page.`,
      );
    }
  }
  try {
    return await runOperatorCommand(database, request);
  } finally {
    await database.close();
  }
}

/** Prints a result as the CLI always has; a refusal exits 2 with its message. */
export function printResult(result: OperatorResult, tool: string): void {
  if (!result.ok) {
    process.stderr.write(`${tool}: ${result.message}\n`);
    process.exit(2);
  }
  for (const line of result.stdout) process.stdout.write(`${line}\n`);
  for (const line of result.stderr) process.stderr.write(`${line}\n`);
}
