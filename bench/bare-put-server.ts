// The no-framework limit for the seed PUT (issue 19): node:http + a pg Pool answering
//   PUT /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}
// with the SAME statements the app sends for it (copied from the driver by bench/capture-pg.cjs into
// bench/bare-put-sql.json: names, texts, parameter order), in the same two pipelined round trips (decisions 005
// and 022), each one socket write (decision 132) ending in one Sync once prepared (decision 134, the app's own
// db/round-trip.ts): BEGIN + the scope locks + the context read, then the write + COMMIT. No Next, no zod, no JWT (a constant bearer), no logging or metrics; the body parsed with JSON.parse and
// two string checks.
//   DATABASE_URL=… BARE_TOKEN=… node --import tsx bench/bare-put-server.ts <port>
import http from "node:http";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { corked } from "@/db/corked";
import { canRoundTrip, roundTrip, type RoundTripStatement } from "@/db/round-trip";
import { bind, capturedPutSql } from "./captured-put-sql";

const sqlFile = capturedPutSql();

const port = Number(process.argv[2] ?? 0);
const token = `Bearer ${process.env.BARE_TOKEN ?? "bare"}`;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.BARE_POOL ?? 10), // default: the app's pool size (db/open.ts)
  pipeline: true,
} as pg.PoolConfig);
pool.on("error", () => {});

const ROUTE = /^\/v2\/clients\/([^/]+)\/domains\/([^/]+)\/service\/([^/]+)\/assignments\/([^/?]+)$/;

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** One round trip as the app sends it (db/client.ts roundTripOn): one Sync once prepared, else one per statement. */
function sendRoundTrip(client: pg.PoolClient, statements: RoundTripStatement[]) {
  if (canRoundTrip(client, statements)) return roundTrip(pg, client, statements);
  return Promise.all(corked(client, () => statements.map((s) => client.query(s))));
}

// As the app names them (db/client.ts).
const BEGIN = { name: "tx_begin_v1", text: "begin", values: [] };
const COMMIT = { name: "tx_commit_v1", text: "commit", values: [] };

type Row = Record<string, unknown>;
type Context = {
  client_exists: boolean;
  domain_status: string | null;
  service: { status: string } | null;
  model_exists: boolean;
  contract: unknown;
  active: (Row & { assignment_id: string; model_id: string; model_version: string }) | null;
  latest: (Row & { revision: number }) | null;
};

async function upsert(
  clientId: string,
  domainId: string,
  serviceId: string,
  key: string,
  body: { model_id: string; model_version: string; metadata?: unknown; settings?: unknown },
): Promise<[number, unknown]> {
  const client = await pool.connect();
  let ok = false;
  try {
    const domainLock = `${clientId}/${domainId}`;
    const values: Record<string, unknown> = {
      domainLock,
      serviceLock: `${domainLock}/${serviceId}`,
      clientId,
      domainId,
      scope: serviceId,
      key,
      modelId: body.model_id,
      modelVersion: body.model_version,
    };
    // Round trip 1: BEGIN, the locks, the context read, written together.
    const [, , ctxResult] = await sendRoundTrip(client, [
      BEGIN,
      bind(sqlFile.lock, values),
      bind(sqlFile.context, values),
    ]);
    const ctx = ctxResult.rows[0] as Context;
    const refuse = !ctx.client_exists
      ? "client"
      : ctx.domain_status !== "active"
        ? "domain"
        : ctx.service?.status !== "active"
          ? "service"
          : !ctx.model_exists || ctx.contract == null
            ? "model"
            : null;
    if (refuse) {
      await client.query("rollback");
      ok = true;
      return [404, { error: { message: `unknown ${refuse}` } }];
    }
    Object.assign(values, {
      activeId: ctx.active?.assignment_id ?? null,
      newId: randomUUID(),
      revision: (ctx.latest?.revision ?? 0) + 1,
      status: "active",
      settings: JSON.stringify(body.settings ?? {}),
      metadata: JSON.stringify(body.metadata ?? {}),
      actor: "bare",
      requestId: randomUUID(),
      patches: "[]",
      action: "assignment.upsert",
      entityId: `${clientId}/${domainId}/${serviceId}/${key}`,
      servicePrefix: `${clientId}/${domainId}/`,
    });
    // Round trip 2: the write and COMMIT, written together.
    const [written, committed] = await sendRoundTrip(client, [bind(sqlFile.write, values), COMMIT]);
    if (committed!.command !== "COMMIT") throw new Error(`COMMIT answered ${committed!.command}`);
    ok = true;
    return [200, written!.rows[0]];
  } finally {
    client.release(!ok);
  }
}
const server = http.createServer((req, res) => {
  const m = req.method === "PUT" ? ROUTE.exec(req.url ?? "") : null;
  if (!m) return send(res, 404, { error: { message: "not found" } });
  if (req.headers.authorization !== token)
    return send(res, 401, { error: { message: "unauthorized" } });
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let body: { model_id?: unknown; model_version?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { error: { message: "body is not JSON" } });
    }
    if (typeof body?.model_id !== "string" || typeof body.model_version !== "string")
      return send(res, 400, { error: { message: "model_id and model_version are required" } });
    upsert(m[1]!, m[2]!, m[3]!, m[4]!, body as { model_id: string; model_version: string }).then(
      ([status, out]) => send(res, status, out),
      (error: Error) => send(res, 500, { error: { message: error.message } }),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
