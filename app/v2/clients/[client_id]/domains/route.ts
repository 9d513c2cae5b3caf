// GET, POST /v2/clients/{c}/domains: a tenant's domains; POST (admin) adds one.
import { getDatabase } from "@/lib/server/database";
import { createDomain, listDomains } from "@/lib/server/tenancy/tenancy";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import { domainCreateBody } from "@/lib/schemas/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "any",
    handler: async (ctx) =>
      json(
        await listDomains(await getDatabase(), {
          clientId: ctx.params.client_id!,
          ...readQuery(ctx, paginationQuery),
        }),
      ),
  },
  POST: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, domainCreateBody);
      const clientId = ctx.params.client_id!;
      const row = await createDomain(
        await getDatabase(),
        { actor: ctx.actor, meta: ctx, clientId, body },
        { dryRun: readQuery(ctx, dryRunQuery).dry_run },
      );
      return json(row, {
        status: 201,
        headers: { location: `/v2/clients/${clientId}/domains/${row.domain_id}` },
      });
    },
  },
});
