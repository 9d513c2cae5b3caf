// GET, POST /v2/tokens: machine tokens made from the console (admins only; never the JWT itself); POST makes one
// and answers its JWT this once.
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { apiTokenCreateBody } from "@/lib/schemas/access";
import { createApiToken, listApiTokens } from "@/lib/server/tokens/api-tokens";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) => json(await listApiTokens(await getDatabase(), { actor: ctx.actor })),
  },
  POST: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, apiTokenCreateBody);
      const created = await createApiToken(await getDatabase(), {
        actor: ctx.actor,
        meta: ctx,
        body,
      });
      return json(created, { status: 201, headers: { location: `/v2/tokens/${created.id}` } });
    },
  },
});
