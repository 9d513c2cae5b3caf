// The running server's door for the operator's command line on the embedded default: while the server holds the
// PGlite folder, `npm run token` and `npm run user` hand their command to it over a Unix socket inside DATA_DIR
// (decision 042). Only the folder's owner can reach it: DATA_DIR is 0700 and the socket 0600. One JSON request
// per connection, at most 64 kB, answered with one JSON result; the command runs through runOperatorCommand.
import "server-only";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Database } from "@/db/types";
import { runOperatorCommand, type OperatorResult } from "./commands";

export const OPERATOR_SOCKET = "cli.sock";
const MAX_REQUEST_BYTES = 64 * 1024;
const IDLE_MS = 30_000;
/** Unix socket paths are limited to 107 bytes on Linux (103 on macOS). */
const MAX_SOCKET_PATH = 100;

export function operatorSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), OPERATOR_SOCKET);
}

/** Starts listening; returns the socket's path, or null (with the reason logged) when it can't. */
export async function startOperatorSocket(
  database: Database,
  dataDir: string,
): Promise<string | null> {
  const socketPath = operatorSocketPath(dataDir);
  if (socketPath.length > MAX_SOCKET_PATH) {
    console.warn(
      `[model-console] npm run token/user can't reach this server: the socket path ${socketPath} is too long; ` +
        "use a shorter DATA_DIR, or stop the server to run them",
    );
    return null;
  }
  // This process holds DATA_DIR's lock, so a socket file left there is a crashed server's.
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((connection) => serve(database, connection));
  const previous = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socketPath, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  fs.chmodSync(socketPath, 0o600);
  server.unref();
  const close = () => {
    server.close();
    fs.rmSync(socketPath, { force: true });
  };
  process.once("exit", close);
  return socketPath;
}

function serve(database: Database, connection: net.Socket): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let answered = false;
  const answer = (result: OperatorResult) => {
    if (answered) return;
    answered = true;
    connection.end(`${JSON.stringify(result)}\n`);
  };
  connection.setTimeout(IDLE_MS, () => connection.destroy());
  connection.on("error", () => connection.destroy());
  connection.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      answer({ ok: false, message: `request over ${MAX_REQUEST_BYTES} bytes` });
      return;
    }
    chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    const end = text.indexOf("\n");
    if (end === -1) return;
    let request: unknown;
    try {
      request = JSON.parse(text.slice(0, end));
    } catch {
      answer({ ok: false, message: "the request is not JSON" });
      return;
    }
    runOperatorCommand(database, request).then(answer, (error: unknown) => {
      console.error(`[model-console] operator command failed: ${(error as Error).message}`);
      answer({ ok: false, message: "the server could not run the command; see its log" });
    });
  });
}
