// SIGTERM on a production server: readiness turns 503, the listener closes, an in-flight request (a client still
// uploading its body) completes with 200, the database closes cleanly and the process exits 0. No METRICS_TOKEN
// here: /metrics then answers 404 like any unknown path.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../helpers/server";
import {
  createStore,
  exited,
  jsonLines,
  KEY_BASE,
  recordToken,
  startOn,
  type Store,
} from "./ops-helpers";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("graceful shutdown on SIGTERM (production server, PGlite)", () => {
  let store: Store;
  const servers: RunningServer[] = [];

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await store?.drop();
  });

  it("drains: readiness 503, no new connections, the in-flight slow request completes with 200, clean exit", async () => {
    store = await createStore("pglite");
    const token = await recordToken(store, ["assignments:write", "assignments:read"], "drain-test");
    const server = await startOn(store, { SHUTDOWN_DELAY_MS: "3000", SHUTDOWN_GRACE_MS: "30000" });
    servers.push(server);

    // /metrics is off without METRICS_TOKEN.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);

    // A slow client: headers and half of the body now, the rest after the signal.
    const body = JSON.stringify({
      model_id: "example-model",
      model_version: "1.0.0",
      metadata: { note: "uploaded slowly across a SIGTERM" },
    });
    const half = Math.floor(body.length / 2);
    const { port } = new URL(server.url);
    const request = http.request({
      host: "127.0.0.1",
      port,
      method: "PUT",
      path: `${KEY_BASE}/drain`,
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "x-request-id": "slow-upload-1",
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.once("response", (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.once("end", () => resolve({ status: res.statusCode!, text }));
      });
      request.once("error", reject);
    });
    request.write(body.slice(0, half));
    await sleep(500);

    process.kill(server.pid, "SIGTERM");
    // Draining: still accepting for SHUTDOWN_DELAY_MS, and readiness says no (polled: on a loaded machine the
    // signal can take a moment to be handled).
    let ready = await fetch(`${server.url}/v2/health/ready`);
    for (let i = 0; i < 30 && ready.status === 200; i++) {
      await sleep(100);
      ready = await fetch(`${server.url}/v2/health/ready`);
    }
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { message: string }).message).toMatch(/Shutting down/);

    // After the delay the listener is closed: a new connection is refused...
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await fetch(`${server.url}/v2/health/live`).then(
        () => false,
        () => true,
      );
      if (!refused) await sleep(100);
    }
    expect(refused).toBe(true);
    // ...while the slow request is still in flight and gets its answer.
    request.end(body.slice(half));
    const { status, text } = await answered;
    expect(status).toBe(200);
    const row = JSON.parse(text) as { assignment_id: string; status: string };
    expect(row.status).toBe("active");

    const { code } = await exited(server);
    expect(code).toBe(0);
    const lines = jsonLines(server.output());
    expect(lines.find((l) => l.request_id === "slow-upload-1")).toMatchObject({ status: 200 });
    expect(lines.some((l) => l.msg === "draining")).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: "stopped" });
    // The embedded database was closed and its folder released.
    expect(fs.existsSync(path.join(store.dataDir!, "lock.pid"))).toBe(false);

    // The drained write is there after a restart.
    const again = await startOn(store);
    servers.push(again);
    const read = await fetch(`${again.url}/v2/assignments/${row.assignment_id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { metadata: { note: string } }).metadata.note).toBe(
      "uploaded slowly across a SIGTERM",
    );
  }, 300_000);

  it("cuts requests still running when the grace period ends, and still exits cleanly", async () => {
    const own = await createStore("pglite");
    try {
      const token = await recordToken(own, ["assignments:write"], "grace-test");
      const server = await startOn(own, { SHUTDOWN_GRACE_MS: "500" });
      const { port } = new URL(server.url);
      const request = http.request({
        host: "127.0.0.1",
        port,
        method: "PUT",
        path: `${KEY_BASE}/grace`,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": 1000,
        },
      });
      const failed = new Promise<string>((resolve) => {
        request.once("error", (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
        request.once("response", (res) => resolve(`answered ${res.statusCode}`));
      });
      request.write("{");
      await sleep(300);
      const started = Date.now();
      process.kill(server.pid, "SIGTERM");
      const { code } = await exited(server);
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await failed).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      expect(
        jsonLines(server.output()).some(
          (l) => l.msg === "grace period over: closing the remaining connections",
        ),
      ).toBe(true);
      expect(fs.existsSync(path.join(own.dataDir!, "lock.pid"))).toBe(false);
    } finally {
      await own.drop();
    }
  }, 300_000);
});
