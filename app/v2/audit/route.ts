// GET /v2/audit: the audit log, newest first (admins only), filtered by actor, action, entity, client and
// time; JSON pages, or every matching entry as a streamed CSV with `Accept: text/csv`.
import { getDatabase } from "@/lib/server/database";
import { exportAuditCsv, listAudit } from "@/lib/server/audit/read-audit";
import { defineRoute, json, readQuery } from "@/lib/server/http/route";
import { auditQuery } from "@/lib/schemas/audit";
import { paginationQuery } from "@/lib/schemas/common";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) => {
      const query = readQuery(ctx, auditQuery.extend(paginationQuery.shape));
      const database = await getDatabase();
      const read = { actor: ctx.actor, filter: query };
      const accept = ctx.request.headers.get("accept") ?? "";
      if (/\btext\/csv\b/i.test(accept) || query.format === "csv") {
        const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
        return new Response(exportAuditCsv(database, read), {
          headers: {
            "content-type": "text/csv; charset=utf-8; header=present",
            "content-disposition": `attachment; filename="audit-${stamp}.csv"`,
            "cache-control": "no-store",
          },
        });
      }
      return json(await listAudit(database, read));
    },
  },
});
