// GET, POST /v2/models/{m}/versions: a model's versions; POST registers an immutable version with its feature contract.
import { getDatabase } from "@/lib/server/database";
import { createVersion, listVersions } from "@/lib/server/registry/registry";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import { versionCreateBody } from "@/lib/schemas/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) => {
      const query = readQuery(ctx, paginationQuery);
      return json(await listVersions((await getDatabase()).query, ctx.params.model_id!, query));
    },
  },
  POST: {
    scope: "models:write",
    handler: async (ctx) => {
      const { dry_run } = readQuery(ctx, dryRunQuery);
      const body = await readJson(ctx, versionCreateBody);
      const modelId = ctx.params.model_id!;
      const row = await createVersion(await getDatabase(), ctx.actor, ctx, modelId, body, dry_run);
      return json(row, {
        status: 201,
        headers: { location: `/v2/models/${modelId}/versions/${row.version}` },
      });
    },
  },
});
