// GET, POST /v2/models/{m}/versions: a model's versions; POST registers an immutable version with its feature contract.
import { getDatabase } from "@/lib/server/database";
import { createVersion, listVersions } from "@/lib/server/registry/registry";
import { defineRoute, json, readJson, readQuery } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import { versionCreateBody } from "@/lib/schemas/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) =>
      json(
        await listVersions(await getDatabase(), {
          modelId: ctx.params.model_id!,
          ...readQuery(ctx, paginationQuery),
        }),
      ),
  },
  POST: {
    scope: "models:write",
    handler: async (ctx) => {
      const { dry_run } = readQuery(ctx, dryRunQuery);
      const body = await readJson(ctx, versionCreateBody);
      const modelId = ctx.params.model_id!;
      const row = await createVersion(
        await getDatabase(),
        { actor: ctx.actor, meta: ctx, modelId, body },
        { dryRun: dry_run },
      );
      return json(row, {
        status: 201,
        headers: { location: `/v2/models/${modelId}/versions/${row.version}` },
      });
    },
  },
});
