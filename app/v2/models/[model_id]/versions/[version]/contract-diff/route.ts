// GET /v2/models/{m}/versions/{v}/contract-diff?from={v0}: features added, removed, retyped or changed, each compatible or breaking.
import { getDatabase } from "@/lib/server/database";
import { contractDiff } from "@/lib/server/registry/registry";
import { defineRoute, json, readQuery } from "@/lib/server/http/route";
import { contractDiffQuery } from "@/lib/schemas/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) => {
      const { from } = readQuery(ctx, contractDiffQuery);
      return json(
        await contractDiff(await getDatabase(), {
          modelId: ctx.params.model_id!,
          to: ctx.params.version!,
          from,
        }),
      );
    },
  },
});
