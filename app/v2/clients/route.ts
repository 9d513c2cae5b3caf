// GET, POST /v2/clients: the tenants the caller may see; POST (admin) adds one.
import { getDatabase } from "@/lib/server/database";
import { createClient, listClients } from "@/lib/server/tenancy/tenancy";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import { clientCreateBody } from "@/lib/schemas/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "any",
    handler: async (ctx) =>
      json(
        await listClients(await getDatabase(), {
          actor: ctx.actor,
          ...readQuery(ctx, paginationQuery),
        }),
      ),
  },
  POST: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, clientCreateBody);
      const row = await createClient(
        await getDatabase(),
        { actor: ctx.actor, meta: ctx, body },
        { dryRun: readQuery(ctx, dryRunQuery).dry_run },
      );
      return json(row, { status: 201, headers: { location: `/v2/clients/${row.client_id}` } });
    },
  },
});
