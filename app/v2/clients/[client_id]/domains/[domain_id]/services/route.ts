// GET, POST /v2/clients/{c}/domains/{d}/services: the domain's services with their provided features and status
// (filterable by feature values and by compatibility with a model version, optionally with each one's effective
// assignments); POST adds one.
import { getDatabase } from "@/lib/server/database";
import { listServices } from "@/lib/server/services/read-services";
import { createService } from "@/lib/server/services/write-services";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import { serviceCreateBody, serviceListQuery } from "@/lib/schemas/services";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "services:read",
    handler: async (ctx) => {
      const query = readQuery(ctx, serviceListQuery.extend(paginationQuery.shape), ["feature"]);
      const domain = { clientId: ctx.params.client_id!, domainId: ctx.params.domain_id! };
      return json(await listServices(await getDatabase(), domain, query));
    },
  },
  POST: {
    scope: "services:write",
    handler: async (ctx) => {
      const { dry_run } = readQuery(ctx, dryRunQuery);
      const body = await readJson(ctx, serviceCreateBody);
      const { client_id, domain_id } = ctx.params as { client_id: string; domain_id: string };
      const row = await createService(
        await getDatabase(),
        { clientId: client_id, domainId: domain_id, body, actor: ctx.actor, meta: ctx },
        { dryRun: dry_run },
      );
      return json(row, {
        status: 201,
        headers: {
          location: `/v2/clients/${client_id}/domains/${domain_id}/service/${row.service_id}`,
        },
      });
    },
  },
});
