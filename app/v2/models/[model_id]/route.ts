// GET /v2/models/{m}: one model with the list of its versions.
import { getDatabase } from "@/lib/server/database";
import { getModel } from "@/lib/server/registry/registry";
import { defineRoute, json } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) =>
      json(await getModel(await getDatabase(), { modelId: ctx.params.model_id! })),
  },
});
