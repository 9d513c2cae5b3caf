// POST /v2/tokens/{token_id}/revoke: revokes a machine token (admins only; idempotent). From the next request on,
// the token gets 401 on every route.
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json } from "@/lib/server/http/route";
import { revokeApiToken } from "@/lib/server/tokens/api-tokens";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  POST: {
    scope: "admin",
    handler: async (ctx) =>
      json(
        await revokeApiToken(await getDatabase(), {
          actor: ctx.actor,
          meta: ctx,
          id: ctx.params.token_id!,
        }),
      ),
  },
});
