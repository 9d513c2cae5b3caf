// GET /v2/tokens/{token_id}: one machine token's record (admins only; never the JWT itself).
import { getDatabase } from "@/db/client";
import { defineRoute, json } from "@/lib/http/route";
import { getApiToken } from "@/lib/tokens/api-tokens";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) =>
      json(await getApiToken((await getDatabase()).db, ctx.actor, ctx.params.token_id!)),
  },
});
