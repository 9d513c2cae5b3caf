// GET /v2/models/{m}/versions/{v}: one version with its frozen feature contract.
import { getDatabase } from "@/lib/server/database";
import { getVersion } from "@/lib/server/registry/registry";
import { defineRoute, json } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) =>
      json(
        await getVersion(await getDatabase(), {
          modelId: ctx.params.model_id!,
          version: ctx.params.version!,
        }),
      ),
  },
});
