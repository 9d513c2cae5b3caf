// GET, POST /v2/models: the global model registry; POST registers a model.
import { getDatabase } from "@/lib/server/database";
import { createModel, listModels } from "@/lib/server/registry/registry";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import { modelCreateBody } from "@/lib/schemas/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) =>
      json(await listModels(await getDatabase(), readQuery(ctx, paginationQuery))),
  },
  POST: {
    scope: "models:write",
    handler: async (ctx) => {
      const body = await readJson(ctx, modelCreateBody);
      const row = await createModel(
        await getDatabase(),
        { actor: ctx.actor, meta: ctx, body },
        { dryRun: readQuery(ctx, dryRunQuery).dry_run },
      );
      return json(row, { status: 201, headers: { location: `/v2/models/${row.model_id}` } });
    },
  },
});
