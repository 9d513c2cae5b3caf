// The production server answers /v2 straight from the compiled route handlers (scripts/v2-fast-path.mjs);
// V2_VIA_NEXT=1 sends the same requests through Next's pipeline. Both servers run on one store, one after the
// other, and answer the same list of requests: good reads, a 304, a dry-run write, every kind of refusal (400, 401,
// 403, 404 on unknown paths and extra segments, 405, 413, 415), HEAD, OPTIONS, an unknown method, a trailing slash,
// percent escapes, gzip and Server-Sent Events. Each answer must be the same: status, every header but the
// connection's own (date, keep-alive, and the framing: Content-Length on one side, chunked on the other), and the
// body, byte for byte once decoded.
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../helpers/server";
import { createStore, recordToken, startOn, type Store } from "./ops-helpers";

const D = "/v2/clients/client-1/domains/south_australia";
const KEY = `${D}/service/service-1/assignments/default`;

type Probe = {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Read only the first event of a stream, then hang up. */
  stream?: boolean;
  /** The answer carries a fresh id and time (a dry run makes them up): compared with those masked. */
  volatile?: boolean;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;
const masked = (answer: Answer): Answer => {
  const mask = (text: string) => text.replace(UUID, "<uuid>").replace(TIME, "<time>");
  const headers = { ...answer.headers };
  if (typeof headers.etag === "string") headers.etag = mask(headers.etag);
  return { ...answer, headers, body: mask(answer.body) };
};

type Answer = {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  /** How the body was framed: the one thing the two paths may do differently. */
  framing: string;
};

/** Headers of the connection, not of the answer: they may differ between the two paths. */
const CONNECTION_HEADERS = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
]);

function ask(base: string, probe: Probe): Promise<Answer> {
  const url = new URL(probe.path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: probe.path,
        method: probe.method,
        headers: probe.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () => {
          let bytes = Buffer.concat(chunks);
          if (res.headers["content-encoding"] === "gzip" && !probe.stream)
            bytes = gunzipSync(bytes);
          const headers: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (!CONNECTION_HEADERS.has(name) && value !== undefined) headers[name] = value;
          const framing = res.headers["content-length"] ? "length" : "chunked";
          resolve({ status: res.statusCode!, headers, body: bytes.toString("utf8"), framing });
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (probe.stream && Buffer.concat(chunks).includes("\n\n")) {
            req.destroy();
            done();
          }
        });
        res.on("end", done);
        res.on("error", () => undefined);
      },
    );
    req.on("error", (error) => (probe.stream ? undefined : reject(error)));
    req.end(probe.body);
  });
}

/** Sends a PUT declaring 1,000 bytes of body, sends 10, and closes the connection. */
function abandonedUpload(base: string, path: string, token: string): Promise<void> {
  const url = new URL(path, base);
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path,
      method: "PUT",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": "1000",
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write('{"model_id"', () => setTimeout(() => req.destroy(), 200));
  });
}

describe("/v2 through the fast path and through Next: the same answers (PGlite)", () => {
  let store: Store;
  let admin: string;
  let reader: string;
  const answers: Record<"fast" | "next", Answer[]> = { fast: [], next: [] };
  let probes: Probe[] = [];
  let fastOutput = "";

  async function answerAll(viaNext: boolean): Promise<{ answers: Answer[]; server: string }> {
    const server: RunningServer = await startOn(store, { V2_VIA_NEXT: viaNext ? "1" : "0" });
    try {
      // A client that declares a body and hangs up halfway: the probes after it must be answered as usual.
      await abandonedUpload(server.url, KEY, admin);
      const out: Answer[] = [];
      for (const [i, probe] of probes.entries()) {
        const headers = { "x-request-id": `probe-${i}`, ...probe.headers };
        let answer = await ask(server.url, { ...probe, headers });
        // The 304 probe names the current ETag, read from this same server.
        if (probe.name === "domain read, 304") {
          const first = await ask(server.url, { ...probes[0]!, headers: probes[0]!.headers });
          answer = await ask(server.url, {
            ...probe,
            headers: { ...headers, "if-none-match": String(first.headers.etag) },
          });
        }
        out.push(answer);
      }
      return { answers: out, server: server.output() };
    } finally {
      await server.stop();
    }
  }

  beforeAll(async () => {
    store = await createStore("pglite");
    admin = await recordToken(store, ["admin"], "fast-path-admin");
    reader = await recordToken(store, ["assignments:read"], "fast-path-reader");
    const auth = { authorization: `Bearer ${admin}` };
    const json = { ...auth, "content-type": "application/json" };
    const seed = JSON.stringify({ model_id: "example-model", model_version: "1.0.0" });
    probes = [
      {
        name: "domain read",
        method: "GET",
        path: `${D}/assignments/default/effective`,
        headers: auth,
      },
      {
        name: "domain read, 304",
        method: "GET",
        path: `${D}/assignments/default/effective`,
        headers: auth,
      },
      {
        name: "domain read, gzip",
        method: "GET",
        path: `${D}/assignments/default/effective`,
        headers: { ...auth, "accept-encoding": "gzip" },
      },
      { name: "service effective", method: "GET", path: `${KEY}/effective`, headers: auth },
      { name: "clients list", method: "GET", path: "/v2/clients?limit=5", headers: auth },
      {
        name: "clients list, gzip",
        method: "GET",
        path: "/v2/clients",
        headers: { ...auth, "accept-encoding": "gzip, br" },
      },
      { name: "liveness", method: "GET", path: "/v2/health/live" },
      {
        name: "liveness, gzip",
        method: "GET",
        path: "/v2/health/live",
        headers: { "accept-encoding": "gzip" },
      },
      { name: "readiness", method: "GET", path: "/v2/health/ready" },
      { name: "openapi", method: "GET", path: "/v2/openapi.json" },
      { name: "HEAD", method: "HEAD", path: `${D}/assignments/default/effective`, headers: auth },
      { name: "OPTIONS", method: "OPTIONS", path: "/v2/clients" },
      { name: "405", method: "DELETE", path: "/v2/health/live" },
      { name: "unknown method", method: "FOO", path: "/v2/clients" },
      {
        name: "dry-run seed PUT",
        method: "PUT",
        path: `${KEY}?dry_run=true`,
        headers: json,
        body: seed,
        volatile: true,
      },
      // The fast path reads a small body of a declared length before calling the handler (decision 129); a
      // chunked body, or one longer than it reads ahead, streams to the handler as through Next.
      {
        name: "dry-run seed PUT, chunked body",
        method: "PUT",
        path: `${KEY}?dry_run=true`,
        headers: { ...json, "transfer-encoding": "chunked" },
        body: seed,
        volatile: true,
      },
      {
        name: "dry-run seed PUT, 100 kB body",
        method: "PUT",
        path: `${KEY}?dry_run=true`,
        headers: json,
        body: seed + " ".repeat(100_000),
        volatile: true,
      },
      {
        name: "400 empty body",
        method: "PUT",
        path: KEY,
        headers: { ...json, "content-length": "0" },
        body: "",
      },
      {
        name: "413 by its length, chunked",
        method: "PUT",
        path: KEY,
        headers: { ...json, "transfer-encoding": "chunked" },
        body: Buffer.alloc(1024 * 1024 + 10, 32),
      },
      { name: "400 bad body", method: "PUT", path: KEY, headers: json, body: '{"model_id": 7}' },
      { name: "400 malformed JSON", method: "PUT", path: KEY, headers: json, body: "{" },
      { name: "400 bad path parameter", method: "GET", path: "/v2/clients/Bad!Id", headers: auth },
      { name: "400 bad query", method: "GET", path: "/v2/clients?limit=nope", headers: auth },
      {
        name: "415",
        method: "PUT",
        path: KEY,
        headers: { ...auth, "content-type": "text/plain" },
        body: seed,
      },
      {
        name: "413",
        method: "PUT",
        path: KEY,
        headers: json,
        body: Buffer.alloc(1024 * 1024 + 10, 32),
      },
      { name: "401 no credentials", method: "GET", path: "/v2/clients" },
      {
        name: "401 bad token",
        method: "GET",
        path: "/v2/clients",
        headers: { authorization: "Bearer nope.nope.nope" },
      },
      {
        name: "401 malformed header",
        method: "GET",
        path: "/v2/clients",
        headers: { authorization: "Basic x" },
      },
      {
        name: "403 scope",
        method: "PUT",
        path: KEY,
        headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
        body: seed,
      },
      {
        name: "404 unknown client",
        method: "GET",
        path: "/v2/clients/no-such-client",
        headers: auth,
      },
      { name: "404 unknown path", method: "GET", path: "/v2/no/such/route" },
      { name: "404 extra segments", method: "GET", path: "/v2/health/live/extra" },
      {
        name: "404 unknown path, POST",
        method: "POST",
        path: "/v2/nothing",
        headers: json,
        body: "{}",
      },
      { name: "trailing slash", method: "GET", path: "/v2/clients/" },
      { name: "percent escape", method: "GET", path: "/v2/clients/client%2D1", headers: auth },
      {
        name: "HTTPS behind a proxy",
        method: "GET",
        path: "/v2/health/live",
        headers: { "x-forwarded-proto": "https" },
      },
      {
        name: "change stream",
        method: "GET",
        path: `${D}/changes`,
        headers: { ...auth, accept: "text/event-stream" },
        stream: true,
      },
      { name: "changes JSON", method: "GET", path: `${D}/changes`, headers: auth },
    ];
    const fast = await answerAll(false);
    answers.fast = fast.answers;
    fastOutput = fast.server;
    answers.next = (await answerAll(true)).answers;
  }, 240_000);

  afterAll(async () => {
    await store?.drop();
  });

  it("answers every probe the same way through both paths", () => {
    expect(answers.fast).toHaveLength(probes.length);
    for (const [i, probe] of probes.entries()) {
      const fast = probe.volatile ? masked(answers.fast[i]!) : answers.fast[i]!;
      const next = probe.volatile ? masked(answers.next[i]!) : answers.next[i]!;
      expect({ probe: probe.name, ...fast, framing: "" }).toEqual({
        probe: probe.name,
        ...next,
        framing: "",
      });
    }
  });

  it("lets a client that hung up mid-body go without an error (fast path)", () => {
    const lines = fastOutput
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level?: string; msg?: string; status?: number });
    expect(lines.some((l) => l.level === "info")).toBe(true);
    expect(lines.filter((l) => l.level === "error" || l.level === "fatal")).toEqual([]);
    expect(lines.some((l) => l.msg === "request" && l.status === 499)).toBe(true);
  });

  it("answers what each probe should get (the comparison compares real answers)", () => {
    const byName = (name: string) => answers.fast[probes.findIndex((p) => p.name === name)]!;
    // The fast path did answer: it sends a plain body with its length, where Next streams it in chunks.
    expect(byName("liveness").framing).toBe("length");
    expect(answers.next[probes.findIndex((p) => p.name === "liveness")]!.framing).toBe("chunked");
    expect(byName("domain read").status).toBe(200);
    expect(byName("domain read, 304").status).toBe(304);
    expect(byName("domain read, gzip").headers["content-encoding"]).toBe("gzip");
    expect(byName("liveness").headers["content-security-policy"]).toContain("default-src 'none'");
    expect(byName("liveness").headers["x-request-id"]).toBe("probe-6");
    expect(byName("HTTPS behind a proxy").headers["strict-transport-security"]).toBeDefined();
    expect(byName("dry-run seed PUT").status).toBe(200);
    expect(byName("413").status).toBe(413);
    expect(byName("413 by its length, chunked").status).toBe(413);
    expect(byName("dry-run seed PUT, chunked body").status).toBe(200);
    expect(byName("dry-run seed PUT, 100 kB body").status).toBe(200);
    expect(JSON.parse(byName("400 empty body").body).message).toContain("Request body is empty");
    expect(byName("415").status).toBe(415);
    expect(byName("403 scope").status).toBe(403);
    expect(byName("401 no credentials").status).toBe(401);
    expect(byName("404 extra segments").status).toBe(404);
    expect(JSON.parse(byName("404 extra segments").body).message).toContain("No such route");
    expect(byName("405").status).toBe(405);
    expect(byName("OPTIONS").status).toBe(204);
    expect(byName("HEAD").body).toBe("");
    expect(byName("change stream").headers["content-type"]).toContain("text/event-stream");
    expect(byName("trailing slash").status).toBe(308);
  });
});
