// The audit log, the health checks and this API's own OpenAPI document.
import "server-only";
import { z } from "zod";
import { isReady } from "@/db/open";
import { exportAuditCsv, listAudit } from "@/lib/server/audit/read-audit";
import { getDatabase } from "@/lib/server/database";
import { json, logUnexpected } from "@/lib/server/http/route";
import { auditEntry, auditQuery } from "@/lib/schemas/audit";
import { page, paginationQuery } from "@/lib/schemas/common";
import { errorResponse } from "@/lib/shared/errors";
import { API_VERSION, APP_VERSION } from "@/lib/shared/version";
import { family } from "./define";

const auditOps = family("Audit");
const healthOps = family("Health");
const metaOps = family("Meta");
const auditPage = page(auditEntry, "AuditPage");
const listAuditQuery = auditQuery.extend(paginationQuery.shape);

const healthLive = z
  .object({
    status: z.literal("ok"),
    version: z.string().meta({ description: "The app's semantic version (package.json's)" }),
    api: z.literal("v2").meta({ description: "The API's major version: its path prefix" }),
  })
  .meta({ id: "Liveness" });
const healthReady = z
  .object({ status: z.literal("ready"), database: z.string() })
  .meta({ id: "Readiness" });
const openApiDocument = z
  .record(z.string(), z.unknown())
  .meta({ description: "An OpenAPI 3.1 document" });

export const listAuditEntries = auditOps.responding("GET", {
  path: "/v2/audit",
  operationId: "listAuditEntries",
  summary: "Read the audit log, newest first",
  description:
    "Who wrote what, when and why (`reason`), with before and after; filtered by `actor`, `action`, `entity_type`, `entity_id`, `client_id` and the time range `since` (inclusive) to `until` (exclusive), newest first with cursor paging. With `Accept: text/csv` (or `format=csv`) it answers every matching entry as a streamed CSV download (RFC 4180, CRLF, a header row; `before`/`after` as JSON; a cell starting with = + - @ is prefixed with ' so spreadsheets don't run it). A caller limited to some clients sees only those clients' entries.",
  scope: "admin",
  query: listAuditQuery,
  answers: { description: "A page of audit entries", schema: auditPage },
  errors: {
    403: "Authenticated caller lacks the permission required for this operation, or `client_id` names a client it may not access.",
  },
  handler: async ({ db, actor, query, request }) => {
    const read = { actor, filter: query };
    const accept = request.headers.get("accept") ?? "";
    if (/\btext\/csv\b/i.test(accept) || query.format === "csv") {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
      return new Response(exportAuditCsv(db, read), {
        headers: {
          "content-type": "text/csv; charset=utf-8; header=present",
          "content-disposition": `attachment; filename="audit-${stamp}.csv"`,
          "cache-control": "no-store",
        },
      });
    }
    return json(await listAudit(db, read));
  },
});

export const getLiveness = healthOps.get({
  path: "/v2/health/live",
  operationId: "getLiveness",
  database: false,
  summary: "Liveness: answers without touching the database",
  description:
    "For a load balancer or orchestrator: 200 as long as the process serves HTTP. Also says which version runs, so a rolling upgrade can be watched instance by instance.",
  scope: null,
  answers: { description: "The process is up", schema: healthLive },
  read: async () => ({ status: "ok", version: APP_VERSION, api: API_VERSION }),
});

export const getReadiness = healthOps.responding("GET", {
  path: "/v2/health/ready",
  operationId: "getReadiness",
  database: false,
  summary: "Readiness: the database answers and every migration is applied",
  description: "For a load balancer: route traffic here only while this answers 200.",
  scope: null,
  answers: { description: "Ready to serve", schema: healthReady },
  errors: { 503: "The database is unreachable or migrations are not all applied yet." },
  handler: async ({ request, meta: { requestId } }) => {
    // Public, so it says only whether the server is ready: why the database failed goes to the server log.
    try {
      const database = await getDatabase();
      if (await isReady(database)) return json({ status: "ready", database: database.driver });
      return errorResponse(503, "Database reachable but migrations are not all applied yet");
    } catch (error) {
      logUnexpected(error, requestId, request);
      return errorResponse(
        503,
        `Database not ready; the server log has the details under request id ${requestId}`,
      );
    }
  },
});

export const getOpenApiDocument = metaOps.get({
  path: "/v2/openapi.json",
  operationId: "getOpenApiDocument",
  database: false,
  summary: "This OpenAPI 3.1 document",
  description:
    "Generated from the zod schemas that validate requests, so it cannot drift from what the routes accept. The page `/docs/api` renders it.",
  scope: null,
  answers: { description: "The OpenAPI document of every /v2 route", schema: openApiDocument },
  read: async () => {
    // Imported when asked: the document is built from every operation, this one included.
    const { buildOpenApiDocument } = await import("@/lib/server/openapi/document");
    return buildOpenApiDocument();
  },
});
