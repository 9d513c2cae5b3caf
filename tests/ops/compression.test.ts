// Large reads through the production server (scripts/server.mjs, what `npm start` runs), read the way machines
// read them: Node's fetch and `curl --compressed`, both sending Accept-Encoding: gzip. A 300-service domain puts
// every answer above both compression thresholds (Next's 1 kB, the app's 16 kB for cached answers); each read
// must decode to the documented JSON (or CSV), the first time and again when served from the cache.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../helpers/server";
import { createStore, recordToken, startOn, type Store } from "./ops-helpers";

const SERVICES = 300;
const D = "/v2/clients/client-1/domains/big";

describe("large reads through the production server, compressed once (PGlite)", () => {
  let store: Store;
  let server: RunningServer;
  let token: string;

  const send = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "x-reason": "compression test setup",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text;
  };

  beforeAll(async () => {
    store = await createStore("pglite");
    token = await recordToken(store, ["admin"], "compression-test");
    server = await startOn(store);
    await send("POST", "/v2/clients/client-1/domains", { domain_id: "big", name: "Big domain" });
    for (let i = 1; i <= SERVICES; i++) {
      const id = `svc-${String(i).padStart(4, "0")}`;
      await send("POST", `${D}/services`, {
        service_id: id,
        name: `Service ${i} on the long route through the city`,
        provided_features: { mode: "bus", route: `route-${i}`, stops: i % 30 },
      });
    }
    // Revisions enough for the revisions list to be large too.
    for (let i = 0; i < 6; i++) {
      await send("PUT", `${D}/assignments/default`, {
        model_id: "example-model",
        model_version: "1.0.0",
      });
      await send("PUT", `${D}/assignments/default`, {
        model_id: "example-model",
        model_version: "1.0.0",
        status: "archived",
      });
    }
    await send("PUT", `${D}/assignments/default`, {
      model_id: "example-model",
      model_version: "1.0.0",
    });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await store?.drop();
  });

  const viaFetch = async (url: string, accept = "application/json") => {
    const res = await fetch(`${server.url}${url}`, {
      headers: { authorization: `Bearer ${token}`, accept, "accept-encoding": "gzip" },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  };

  const viaCurl = (url: string, accept = "application/json") => {
    // The response headers go to a file: curl 7.88 crashes writing them to a piped /dev/stderr.
    const headerFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mac-curl-")), "headers");
    const out = spawnSync(
      "curl",
      [
        "-sS",
        "--compressed",
        "-D",
        headerFile,
        "-H",
        `Authorization: Bearer ${token}`,
        "-H",
        `Accept: ${accept}`,
        `${server.url}${url}`,
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    expect(out.status, out.stderr).toBe(0);
    const headers = fs.readFileSync(headerFile, "utf8");
    fs.rmSync(path.dirname(headerFile), { recursive: true, force: true });
    const encodings = [...headers.matchAll(/^content-encoding:\s*(\S+)/gim)].map((m) => m[1]);
    return { text: out.stdout, encodings };
  };

  const READS: { name: string; path: string; count: (json: unknown) => number }[] = [
    {
      name: "whole-domain effective",
      path: `${D}/assignments/default/effective?limit=10000`,
      count: (j) => (j as { items: unknown[] }).items.length,
    },
    {
      name: "services list",
      path: `${D}/services?limit=1000&include=effective`,
      count: (j) => (j as { items: unknown[] }).items.length,
    },
    {
      name: "change feed",
      path: `${D}/changes?limit=1000`,
      count: (j) => (j as { items: unknown[] }).items.length,
    },
    {
      name: "audit log",
      path: `/v2/audit?limit=1000`,
      count: (j) => (j as { items: unknown[] }).items.length,
    },
    {
      name: "revisions",
      path: `${D}/assignments/default/revisions?limit=1000`,
      count: (j) => (j as { items: unknown[] }).items.length,
    },
    {
      name: "OpenAPI document",
      path: "/v2/openapi.json",
      count: (j) => Object.keys((j as { paths: object }).paths).length,
    },
  ];

  for (const read of READS) {
    it(`${read.name}: fetch and curl --compressed decode to the JSON, first time and cached`, async () => {
      const counts: number[] = [];
      for (let round = 0; round < 2; round++) {
        const answer = await viaFetch(read.path);
        expect(answer.status, answer.text.slice(0, 300)).toBe(200);
        expect(answer.text.length).toBeGreaterThan(1024);
        // Decoded once, the body is JSON: no gzip magic bytes left.
        expect(answer.text.charCodeAt(0)).not.toBe(0x1f);
        counts.push(read.count(JSON.parse(answer.text)));
        const curled = viaCurl(read.path);
        expect(curled.encodings.length).toBeLessThanOrEqual(1);
        counts.push(read.count(JSON.parse(curled.text)));
      }
      expect(counts[0]).toBeGreaterThan(0);
      expect(new Set(counts).size).toBe(1);
    });
  }

  it("the whole-domain read is gzipped once, with Vary, and its 304 has no body or encoding", async () => {
    const url = `${D}/assignments/default/effective?limit=10000`;
    const first = await viaFetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-encoding")).toBe("gzip");
    expect(first.headers.get("vary")).toMatch(/accept-encoding/i);
    expect(first.headers.get("x-model-console-content-encoding")).toBeNull();
    expect(JSON.parse(first.text).items).toHaveLength(SERVICES);
    const again = await fetch(`${server.url}${url}`, {
      headers: {
        authorization: `Bearer ${token}`,
        "accept-encoding": "gzip",
        "if-none-match": first.headers.get("etag")!,
      },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-encoding")).toBeNull();
    expect(await again.text()).toBe("");
    // Without gzip in Accept-Encoding: plain JSON, not encoded.
    const plain = await fetch(`${server.url}${url}`, {
      headers: { authorization: `Bearer ${token}`, "accept-encoding": "identity" },
    });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.json()).items).toHaveLength(SERVICES);
  });

  it("the audit CSV decodes to CSV through fetch and curl --compressed", async () => {
    for (let round = 0; round < 2; round++) {
      const answer = await viaFetch("/v2/audit", "text/csv");
      expect(answer.status).toBe(200);
      expect(answer.text.split("\n")[0]).toMatch(/^[a-z_]+(,[a-z_]+)+/);
      expect(answer.text.split("\n").length).toBeGreaterThan(SERVICES);
      const curled = viaCurl("/v2/audit", "text/csv");
      expect(curled.text.split("\n")[0]).toBe(answer.text.split("\n")[0]);
      expect(curled.text.split("\n").length).toBe(answer.text.split("\n").length);
    }
  });
});
