// The second terminal's race: `npm start` takes DATA_DIR at once but opens its operator socket only when the
// database is ready, a few seconds later. `npm run token` in that window waits for the socket instead of failing.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { askServerWhenReady } from "@/scripts/operator";

const request = { op: "user.list", os_user: "ops" } as const;
const folders: string[] = [];
const servers: net.Server[] = [];

function socketIn(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "operator-wait-"));
  folders.push(dir);
  return path.join(dir, "cli.sock");
}

/** A server that answers every request with one line of stdout, like the running app's socket. */
function listenLater(socketPath: string, afterMs: number): void {
  setTimeout(() => {
    const server = net.createServer((connection) => {
      connection.once("data", () =>
        connection.end(JSON.stringify({ ok: true, stdout: ["answered"], stderr: [] })),
      );
    });
    servers.push(server);
    server.listen(socketPath);
  }, afterMs);
}

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a command sent while the server is still starting", () => {
  it("waits for the socket, says so once, and gets the server's answer", async () => {
    const socketPath = socketIn();
    listenLater(socketPath, 700);
    let told = 0;
    const result = await askServerWhenReady(socketPath, request, {
      waitMs: 10_000,
      onWait: () => told++,
    });
    expect(result).toEqual({ ok: true, stdout: ["answered"], stderr: [] });
    expect(told).toBe(1);
  });

  it("gives up after the wait when no server ever listens, with the socket's error", async () => {
    const socketPath = socketIn();
    await expect(askServerWhenReady(socketPath, request, { waitMs: 600 })).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it("does not wait when the server is there but its answer is not understood", async () => {
    const socketPath = socketIn();
    const server = net.createServer((connection) => {
      connection.once("data", () => connection.end("not json"));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    let told = 0;
    await expect(
      askServerWhenReady(socketPath, request, { waitMs: 10_000, onWait: () => told++ }),
    ).rejects.toThrow("the server's answer was not understood");
    expect(told).toBe(0);
  });
});
