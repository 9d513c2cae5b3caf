// GET /v2/audit: the audit log, newest first (admins only), filtered by client, entity and actor.
import { getDatabase } from "@/db/client";
import { listAudit } from "@/lib/audit/read-audit";
import { defineRoute, json, readQuery } from "@/lib/http/route";
import { auditQuery } from "@/lib/schemas/audit";
import { paginationQuery } from "@/lib/schemas/common";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) => {
      const query = readQuery(ctx, auditQuery.extend(paginationQuery.shape));
      return json(await listAudit((await getDatabase()).query, ctx.actor, query));
    },
  },
});
