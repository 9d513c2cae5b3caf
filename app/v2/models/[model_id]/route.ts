// GET /v2/models/{m}: one model with the list of its versions.
import { getDatabase } from "@/db/client";
import { getModel } from "@/lib/registry/registry";
import { defineRoute, json } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "models:read",
    handler: async (ctx) => json(await getModel((await getDatabase()).query, ctx.params.model_id!)),
  },
});
