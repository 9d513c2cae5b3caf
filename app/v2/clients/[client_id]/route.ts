// GET /v2/clients/{c}: one tenant.
import { getDatabase } from "@/db/client";
import { getClient } from "@/lib/tenancy/tenancy";
import { defineRoute, json } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "any",
    handler: async (ctx) =>
      json(await getClient((await getDatabase()).query, ctx.params.client_id!)),
  },
});
