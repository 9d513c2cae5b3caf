// /metrics and the request log, scraped and read from a production server the way an operator would: with the
// METRICS_TOKEN as a bearer token, and the server's standard output.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../helpers/server";
import { createStore, jsonLines, KEY_BASE, recordToken, startOn, type Store } from "./ops-helpers";

const METRICS_TOKEN = "metrics-token-for-the-ops-test-0123";

/** Parses Prometheus text: one entry per sample, with its labels. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** Sends raw bytes on a new connection and reads everything the server answers until it closes the connection. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer in 10 s, got: ${answer}`)));
    socket.on("data", (d: Buffer) => (answer += d.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.write(bytes, "latin1");
  });
}

describe("metrics and request logs (production server, PGlite)", () => {
  let store: Store;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    store = await createStore("pglite");
    token = await recordToken(store, ["admin"], "metrics-scraper-test");
    server = await startOn(store, { METRICS_TOKEN, LOG_LEVEL: "info" });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await store?.drop();
  });

  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return samples(await res.text());
  };
  const put = (key: string, body: unknown, requestId?: string) =>
    fetch(`${server.url}${KEY_BASE}/${key}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(requestId ? { "x-request-id": requestId } : {}),
      },
      body: JSON.stringify(body),
    });

  // A client that reuses a connection the server is closing at that very moment sees ECONNRESET. Node closes idle
  // connections after 5 s; load balancers and client pools keep theirs longer (60 s is common), so the server
  // keeps them for 65 s and says so.
  it("keeps an idle keep-alive connection open longer than a load balancer would (65 s), and says so", async () => {
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    const answers = () => received.split("HTTP/1.1 ").length - 1;
    // An answer is whole at its body's end: the JSON's last brace, or a chunked body's last chunk (through Next).
    const whole = () => received.endsWith("}") || received.endsWith("\r\n0\r\n\r\n");
    const waitFor = async (n: number) => {
      const until = Date.now() + 10_000;
      while (answers() < n || !whole()) {
        if (socket.destroyed || Date.now() > until)
          throw new Error(`connection closed or no answer ${n}; got: ${received}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      const request = `GET /v2/health/live HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`;
      socket.write(request);
      await waitFor(1);
      expect(received).toMatch(/^HTTP\/1\.1 200 /);
      expect(received.toLowerCase()).toContain("keep-alive: timeout=65\r\n");
      // Longer than Node's default (5 s): the connection is still there and answers.
      await new Promise((r) => setTimeout(r, 6_000));
      expect(socket.destroyed).toBe(false);
      socket.write(request);
      await waitFor(2);
      expect(received.split("HTTP/1.1 ")[2]).toMatch(/^200 /);
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it("refuses a scrape without the metrics token, with a wrong one, or with a user's API token", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789", `Bearer ${token}`]) {
      const res = await fetch(`${server.url}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { success: boolean; message: string };
      expect(body.success).toBe(false);
      expect(body.message).toMatch(/METRICS_TOKEN/);
    }
  });

  it("counts requests by route template, method and status; never raw paths", async () => {
    const before = await scrape();
    const count = (s: ReturnType<typeof samples>, route: string, method: string, status: string) =>
      s
        .filter(
          (x) =>
            x.name === "model_console_http_requests_total" &&
            x.labels.route === route &&
            x.labels.method === method &&
            x.labels.status === status,
        )
        .reduce((sum, x) => sum + x.value, 0);
    const route =
      "/v2/clients/[client_id]/domains/[domain_id]/service/[service_id]/assignments/[assignment_key]";

    // Each answer read to its end, as a client does, before the scrape.
    const status = async (res: Promise<Response>) => {
      const r = await res;
      await r.text();
      return r.status;
    };
    const v1 = { model_id: "example-model", model_version: "1.0.0" };
    expect(await status(put("metrics-a", v1))).toBe(200);
    expect(await status(put("metrics-a", v1))).toBe(200);
    // svc-001 lacks the "route" feature that 2.0.0 requires: a 422 with blocking services.
    const blocked = fetch(
      `${server.url}/v2/clients/client-1/domains/south_australia/service/svc-001/assignments/metrics-b`,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ model_id: "example-model", model_version: "2.0.0" }),
      },
    );
    expect(await status(blocked)).toBe(422);
    expect(
      await status(put("metrics-c", { model_id: "no-such-model", model_version: "1.0.0" })),
    ).toBe(422);
    const client2 = fetch(`${server.url}/v2/clients/client-2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await status(client2)).toBe(200);

    const after = await scrape();
    expect(count(after, route, "PUT", "200") - count(before, route, "PUT", "200")).toBe(2);
    expect(count(after, route, "PUT", "422") - count(before, route, "PUT", "422")).toBe(2);
    expect(
      count(after, "/v2/clients/[client_id]", "GET", "200") -
        count(before, "/v2/clients/[client_id]", "GET", "200"),
    ).toBe(1);

    // The latency histogram has the templates, with buckets.
    const buckets = after.filter(
      (x) =>
        x.name === "model_console_http_request_duration_seconds_bucket" && x.labels.route === route,
    );
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.find((b) => b.labels.le === "+Inf")!.value).toBeGreaterThanOrEqual(4);

    // No label value anywhere carries an id from a path.
    for (const s of after)
      for (const value of Object.values(s.labels))
        expect(value).not.toMatch(/client-1|client-2|svc-001|service-1|metrics-a|south_australia/);

    // Assignment outcomes: one written, one unchanged, two refused with their reasons.
    const outcome = (s: ReturnType<typeof samples>, name: string, label: string, value: string) =>
      s.find((x) => x.name === name && x.labels[label] === value)?.value ?? 0;
    const delta = (name: string, label: string, value: string) =>
      outcome(after, name, label, value) - outcome(before, name, label, value);
    expect(delta("model_console_assignment_writes_total", "result", "written")).toBe(1);
    expect(delta("model_console_assignment_writes_total", "result", "unchanged")).toBe(1);
    expect(delta("model_console_assignment_writes_total", "result", "rejected")).toBe(2);
    expect(
      delta("model_console_assignment_rejections_total", "reason", "incompatible_features"),
    ).toBe(1);
    expect(
      delta("model_console_assignment_rejections_total", "reason", "model_not_registered"),
    ).toBe(1);
  });

  it("exposes the database pool and process metrics", async () => {
    const s = await scrape();
    const value = (name: string) => s.find((x) => x.name === name)?.value;
    expect(value("model_console_db_pool_size")).toBe(1);
    expect(value("model_console_db_pool_in_use")).toBeGreaterThanOrEqual(0);
    expect(value("model_console_db_pool_waiting")).toBeGreaterThanOrEqual(0);
    expect(value("model_console_process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(value("model_console_nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("says which version the instance runs (package.json's), as the health check does", async () => {
    const { version } = JSON.parse(
      fs.readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8"),
    ) as { version: string };
    const info = (await scrape()).filter((x) => x.name === "model_console_build_info");
    expect(info).toEqual([
      { name: "model_console_build_info", labels: { version, api: "v2" }, value: 1 },
    ]);
    const live = await fetch(`${server.url}/v2/health/live`);
    expect(await live.json()).toEqual({ status: "ok", version, api: "v2" });
  });

  it("logs one JSON line per request with id, template, method, status, duration and subject; never the token", async () => {
    const requestId = "ops-test-request-0001";
    const res = await put(
      "metrics-log",
      { model_id: "example-model", model_version: "1.0.0" },
      requestId,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(requestId);
    // The id is the one the write recorded, too.
    const row = (await res.json()) as { assignment_id: string };
    expect(row.assignment_id).toBeTruthy();

    // A request without an id gets one.
    const live = await fetch(`${server.url}/v2/health/live`);
    const generated = live.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    // An unusable id (too long, odd characters) is replaced, not echoed.
    const odd = await fetch(`${server.url}/v2/health/live`, {
      headers: { "x-request-id": "bad id<script>" },
    });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    await new Promise((r) => setTimeout(r, 200));
    const lines = jsonLines(server.output());
    const line = lines.find((l) => l.request_id === requestId);
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      route:
        "/v2/clients/[client_id]/domains/[domain_id]/service/[service_id]/assignments/[assignment_key]",
      method: "PUT",
      status: 200,
      actor: "metrics-scraper-test",
    });
    expect(typeof line!.duration_ms).toBe("number");
    expect(Date.parse(line!.time as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(lines.find((l) => l.request_id === generated)).toMatchObject({
      route: "/v2/health/live",
      status: 200,
      actor: null,
    });
    // Exactly one line per request.
    expect(lines.filter((l) => l.request_id === requestId)).toHaveLength(1);
    // Neither a bearer token nor the metrics token ever reaches the log.
    expect(server.output()).not.toContain(token);
    expect(server.output()).not.toContain(METRICS_TOKEN);
  });

  it("answers a request the HTTP parser refuses with a JSON 4xx that says what to fix, and writes nothing", async () => {
    const path = `${KEY_BASE}/malformed`;
    const body = JSON.stringify({ model_id: "example-model", model_version: "1.0.0" });
    const head = (extra: string) =>
      `PUT ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\n${extra}\r\n`;
    const cases: { name: string; raw: string; status: number; message: RegExp }[] = [
      {
        name: "Content-Length with Transfer-Encoding",
        raw:
          head(`Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`) +
          `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        status: 400,
        message: /Content-Length must be one decimal number.*not together with Transfer-Encoding/,
      },
      {
        name: "two Content-Lengths",
        raw: head(`Content-Length: ${body.length}\r\nContent-Length: 5\r\n`) + body,
        status: 400,
        message: /Content-Length must be one decimal number of bytes, sent once/,
      },
      {
        name: "a chunk size that is not hexadecimal",
        raw: head("Transfer-Encoding: chunked\r\n") + `zz\r\n${body}\r\n0\r\n\r\n`,
        status: 400,
        message: /not valid chunked encoding/,
      },
      {
        name: "headers over Node's limit",
        raw: head(`X-Padding: ${"p".repeat(20_000)}\r\nContent-Length: ${body.length}\r\n`) + body,
        status: 431,
        message: /Request headers are too large \(the limit is \d+ bytes/,
      },
    ];
    for (const c of cases) {
      const answer = await rawExchange(server.url, c.raw);
      const [headText, bodyText] = answer.split("\r\n\r\n");
      expect(headText!.split("\r\n")[0], c.name).toBe(
        `HTTP/1.1 ${c.status} ${c.status === 431 ? "Request Header Fields Too Large" : "Bad Request"}`,
      );
      expect(headText, c.name).toMatch(/content-type: application\/json; charset=utf-8/i);
      const parsed = JSON.parse(bodyText!) as { success: boolean; message: string };
      expect(parsed.success, c.name).toBe(false);
      expect(parsed.message, c.name).toMatch(c.message);
    }
    // None of them wrote the key; the server answers the next request as usual.
    const read = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(404);
    await read.text();
    await new Promise((r) => setTimeout(r, 200));
    const refused = jsonLines(server.output()).filter((l) => l.msg === "malformed request refused");
    expect(refused.map((l) => [l.status, l.code])).toEqual([
      [400, "HPE_INVALID_TRANSFER_ENCODING"],
      [400, "HPE_UNEXPECTED_CONTENT_LENGTH"],
      [400, "HPE_INVALID_CHUNK_SIZE"],
      [431, "HPE_HEADER_OVERFLOW"],
    ]);
    expect(jsonLines(server.output()).filter((l) => l.level === "error")).toEqual([]);
  });
});
