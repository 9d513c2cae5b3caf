// GET /v2/tokens/{token_id}: one machine token's record (admins only; never the JWT itself).
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json } from "@/lib/server/http/route";
import { getApiToken } from "@/lib/server/tokens/api-tokens";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) =>
      json(await getApiToken(await getDatabase(), { actor: ctx.actor, id: ctx.params.token_id! })),
  },
});
