// The production server's pure parts: its settings check and the route-template matcher used for log and
// metric labels; and the /v2 fast path's dispatcher over a build of one route of its own (how it hands a request
// body to the handler).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRouteMatcher } from "@/lib/server/observability/route-template.mjs";
import { createLineBuffer, logTime, readSettings } from "../../scripts/server.mjs";
import {
  createTemplateRouter,
  createV2Dispatcher,
  READ_AHEAD_MAX,
} from "../../scripts/v2-fast-path.mjs";

describe("readSettings", () => {
  it("has working defaults and takes -p / -H over PORT / HOSTNAME", () => {
    expect(readSettings({})).toEqual({
      port: 3000,
      hostname: undefined,
      logLevel: "info",
      metricsToken: undefined,
      graceMs: 10_000,
      delayMs: 0,
      trustProxy: false,
      v2ViaNext: false,
    });
    expect(
      readSettings({ PORT: "4000", HOSTNAME: "0.0.0.0" }, ["-p", "4100", "-H", "127.0.0.1"]),
    ).toMatchObject({ port: 4100, hostname: "127.0.0.1" });
  });

  it("names every bad variable in one message", () => {
    expect(() =>
      readSettings({
        PORT: "eighty",
        LOG_LEVEL: "verbose",
        METRICS_TOKEN: "short",
        SHUTDOWN_GRACE_MS: "-5",
        SHUTDOWN_DELAY_MS: "1.5",
      }),
    ).toThrow(
      /PORT must be a whole number.*"eighty".*SHUTDOWN_GRACE_MS.*SHUTDOWN_DELAY_MS.*LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "verbose"\).*METRICS_TOKEN must be at least 16 characters/s,
    );
  });

  it("believes X-Forwarded-For only with TRUST_PROXY=1", () => {
    expect(readSettings({ TRUST_PROXY: "1" }).trustProxy).toBe(true);
    expect(readSettings({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(readSettings({ TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(() => readSettings({ TRUST_PROXY: "yes please" })).toThrow(/TRUST_PROXY must be 1/);
  });

  it("sends /v2 through Next only with V2_VIA_NEXT=1", () => {
    expect(readSettings({ V2_VIA_NEXT: "1" }).v2ViaNext).toBe(true);
    expect(readSettings({ V2_VIA_NEXT: "0" }).v2ViaNext).toBe(false);
    expect(() => readSettings({ V2_VIA_NEXT: "next" })).toThrow(/V2_VIA_NEXT must be 1/);
  });

  it("treats an empty METRICS_TOKEN as unset (metrics off)", () => {
    expect(readSettings({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
  });

  it("refuses unknown command-line options", () => {
    expect(() => readSettings({}, ["--prot", "3000"])).toThrow(/--prot/);
  });
});

describe("logTime (the request log's time field)", () => {
  it("writes what pino's isoTime writes, to the millisecond, across second, day and year boundaries", () => {
    const times = [
      0,
      1,
      9,
      10,
      99,
      100,
      999,
      1000,
      1001,
      Date.UTC(2026, 11, 7, 5, 59, 4, 7),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 0),
      Date.UTC(2028, 1, 29, 12, 0, 0, 50),
    ];
    // In order and out of order: the kept second must not leak into another second.
    for (const t of [...times, ...times.reverse()])
      expect(logTime(t)).toBe(`,"time":"${new Date(t).toISOString()}"`);
    expect(logTime()).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
  });
});

describe("createLineBuffer (the log's destination)", () => {
  /** A writeSync that records each write's text, accepting at most `chunk` bytes per call and failing with EAGAIN
   *  the first `busy` times. */
  function recorder({ chunk = Infinity, busy = 0 } = {}) {
    const writes: string[] = [];
    let failures = busy;
    const writeSync = (_fd: number, bytes: Buffer, offset: number, length: number) => {
      if (failures-- > 0) throw Object.assign(new Error("busy"), { code: "EAGAIN" });
      const n = Math.min(length, chunk);
      writes.push(bytes.subarray(offset, offset + n).toString());
      return n;
    };
    return { writes, writeSync };
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it("writes the lines of one turn of the event loop together, in order, when the turn ends", async () => {
    const { writes, writeSync } = recorder();
    const out = createLineBuffer({ writeSync });
    out.write('{"n":1}\n');
    out.write('{"n":2}\n');
    out.write('{"n":"é"}\n');
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":"é"}\n']);
    out.write('{"n":4}\n');
    await turn();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":"é"}\n', '{"n":4}\n']);
  });

  it("writes at once past its limit, finishes partial writes and waits out a full pipe", async () => {
    const { writes, writeSync } = recorder({ chunk: 5, busy: 2 });
    const out = createLineBuffer({ writeSync, maxPending: 10 });
    out.write("abcdef\n");
    expect(writes).toEqual([]);
    out.write("ghijkl\n");
    expect(writes.join("")).toBe("abcdef\nghijkl\n");
    await turn();
    expect(writes.join("")).toBe("abcdef\nghijkl\n");
  });

  it("writes what is pending when the process exits", () => {
    const { writes, writeSync } = recorder();
    const before = process.listenerCount("exit");
    const out = createLineBuffer({ writeSync });
    const onExit = process.listeners("exit").at(-1) as () => void;
    expect(process.listenerCount("exit")).toBe(before + 1);
    out.write("last line\n");
    onExit();
    expect(writes).toEqual(["last line\n"]);
    process.off("exit", onExit);
  });

  it("passes on any other write error", () => {
    const out = createLineBuffer({
      writeSync: () => {
        throw Object.assign(new Error("bad fd"), { code: "EBADF" });
      },
    });
    out.write("x\n");
    expect(() => out.flush()).toThrow("bad fd");
  });
});

describe("createRouteMatcher", () => {
  const templateOf = createRouteMatcher([
    "/",
    "/v2/[...path]",
    "/v2/clients",
    "/v2/clients/[client_id]",
    "/v2/clients/[client_id]/domains/[domain_id]",
    "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]/preview",
    "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]",
    "/v2/health/live",
    "/clients/[clientId]",
  ]);

  it("maps paths to their templates, with ids never kept", () => {
    expect(templateOf("/v2/clients/acme")).toBe("/v2/clients/[client_id]");
    expect(templateOf("/v2/clients/acme/domains/north/assignments/default")).toBe(
      "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]",
    );
    expect(templateOf("/v2/clients/acme/domains/north/assignments/default/preview")).toBe(
      "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]/preview",
    );
    expect(templateOf("/clients/acme")).toBe("/clients/[clientId]");
    expect(templateOf("/")).toBe("/");
  });

  it("follows Next's precedence: static, then dynamic, then catch-all", () => {
    expect(templateOf("/v2/clients")).toBe("/v2/clients");
    expect(templateOf("/v2/health/live")).toBe("/v2/health/live");
    // A client whose id is "clients" or "health" still matches the dynamic route, not a static one.
    expect(templateOf("/v2/clients/clients")).toBe("/v2/clients/[client_id]");
    expect(templateOf("/v2/no/such/route")).toBe("/v2/[...path]");
  });

  it("keeps unknown paths and static files to a few labels", () => {
    expect(templateOf("/wp-admin/setup.php")).toBe("unmatched");
    expect(templateOf("/clients/acme/extra/segments")).toBe("unmatched");
    expect(templateOf("/_next/static/chunks/abc123.js")).toBe("/_next/static");
    expect(templateOf("/_next/image")).toBe("/_next");
    // A malformed escape in the path is not an error, just unmatched.
    expect(templateOf("/clients/%E0%A4%A")).toBe("unmatched");
  });
});

describe("createTemplateRouter (the /v2 fast path's router)", () => {
  const match = createTemplateRouter(
    [
      "/v2/[...path]",
      "/v2/clients",
      "/v2/clients/[client_id]",
      "/v2/clients/[client_id]/domains/[domain_id]",
      "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]/preview",
      "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]",
      "/v2/clients/[client_id]/domains/[domain_id]/service/[service_id]/assignments/[assignment_key]",
      "/v2/health/live",
    ].map((template) => ({ template })),
  );
  const of = (path: string) => {
    const found = match(path.slice(1).split("/"));
    return found && { template: found.route.template, params: found.params };
  };

  it("finds the template and its parameters", () => {
    expect(of("/v2/clients/acme/domains/north/assignments/default")).toEqual({
      template: "/v2/clients/[client_id]/domains/[domain_id]/assignments/[assignment_key]",
      params: { client_id: "acme", domain_id: "north", assignment_key: "default" },
    });
    expect(of("/v2/clients")).toEqual({ template: "/v2/clients", params: {} });
  });

  it("follows Next's precedence and falls back to the catch-all with the rest as segments", () => {
    expect(of("/v2/health/live")?.template).toBe("/v2/health/live");
    expect(of("/v2/clients/clients")).toEqual({
      template: "/v2/clients/[client_id]",
      params: { client_id: "clients" },
    });
    // A static segment that leads nowhere gives way to the dynamic one, then to the catch-all.
    expect(of("/v2/health/live/extra")).toEqual({
      template: "/v2/[...path]",
      params: { path: ["health", "live", "extra"] },
    });
    expect(of("/v2/clients/acme/domains/north/nope")).toEqual({
      template: "/v2/[...path]",
      params: { path: ["clients", "acme", "domains", "north", "nope"] },
    });
    expect(of("/other")).toBeUndefined();
  });
});

describe("the fast path's request bodies (decision 129)", () => {
  let dir: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    // A build of one route, laid out as `next build` lays it out: its handler answers how it got the body.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fast-path-units-"));
    fs.mkdirSync(path.join(dir, "server", "app", "v2", "echo"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "server", "app-paths-manifest.json"),
      JSON.stringify({ "/v2/echo/route": "app/v2/echo/route.js" }),
    );
    fs.writeFileSync(
      path.join(dir, "server", "app", "v2", "echo", "route.js"),
      `exports.routeModule = { userland: { PUT: async (request) => {
        const aside = globalThis.__echoBodies.get(request);
        const streamed = request.body ? Buffer.from(await request.arrayBuffer()) : null;
        return new Response(JSON.stringify({
          aside: aside === undefined ? null : Buffer.from(aside).toString(),
          streamed: streamed === null ? null : streamed.toString(),
        }), { headers: { "content-type": "application/json" } });
      } } };`,
    );
    const dispatcher = await createV2Dispatcher({ distDir: dir, port: 0 });
    (globalThis as { __echoBodies?: unknown }).__echoBodies = dispatcher!.requestBodies;
    server = http.createServer((req, res) => {
      const routed = dispatcher!.route(req.method!, req.url!);
      void dispatcher!.serve(req, res, routed!);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function put(body: string, headers: Record<string, string> = {}) {
    const url = new URL("/v2/echo", base);
    return new Promise<{ aside: string | null; streamed: string | null }>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "PUT", headers },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () =>
            resolve(JSON.parse(text) as { aside: string | null; streamed: string | null }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  it("reads a small body of a declared length before the handler and keeps it beside the Request", async () => {
    expect(await put('{"a":1}')).toEqual({ aside: '{"a":1}', streamed: null });
    expect(await put("", { "content-length": "0" })).toEqual({ aside: "", streamed: null });
    const largest = "x".repeat(READ_AHEAD_MAX);
    expect(await put(largest)).toEqual({ aside: largest, streamed: null });
  });

  it("streams a chunked body, or one longer than it reads ahead, to the handler as before", async () => {
    expect(await put('{"a":1}', { "transfer-encoding": "chunked" })).toEqual({
      aside: null,
      streamed: '{"a":1}',
    });
    const longer = "x".repeat(READ_AHEAD_MAX + 1);
    expect(await put(longer)).toEqual({ aside: null, streamed: longer });
  });
});
