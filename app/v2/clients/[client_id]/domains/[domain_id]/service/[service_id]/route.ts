// GET, PATCH /v2/clients/{c}/domains/{d}/service/{s}: one service; PATCH merges provided_features, renames or departs it.
import { getDatabase } from "@/lib/server/database";
import { getService } from "@/lib/server/services/read-services";
import { patchService } from "@/lib/server/services/write-services";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery } from "@/lib/schemas/common";
import { servicePatchBody } from "@/lib/schemas/services";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "services:read",
    handler: async (ctx) => {
      return json(
        await getService(await getDatabase(), {
          clientId: ctx.params.client_id!,
          domainId: ctx.params.domain_id!,
          serviceId: ctx.params.service_id!,
        }),
      );
    },
  },
  PATCH: {
    scope: "services:write",
    handler: async (ctx) => {
      const { dry_run } = readQuery(ctx, dryRunQuery);
      const patch = await readJson(ctx, servicePatchBody);
      const row = await patchService(
        await getDatabase(),
        {
          clientId: ctx.params.client_id!,
          domainId: ctx.params.domain_id!,
          serviceId: ctx.params.service_id!,
          patch,
          actor: ctx.actor,
          meta: ctx,
        },
        { dryRun: dry_run },
      );
      return json(row);
    },
  },
});
