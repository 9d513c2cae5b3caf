// POST /v2/tokens/adopt: records a legacy token (signed with this server's secret by `npm run token` before 0.2.0,
// never recorded) so it is accepted again, listed, revocable and expiring (admins only). Answers its record, never
// the JWT (the caller has it).
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { apiTokenAdoptBody } from "@/lib/schemas/access";
import { adoptApiToken } from "@/lib/server/tokens/api-tokens";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  POST: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, apiTokenAdoptBody);
      const adopted = await adoptApiToken(await getDatabase(), {
        actor: ctx.actor,
        meta: ctx,
        body,
      });
      return json(adopted, { status: 201, headers: { location: `/v2/tokens/${adopted.id}` } });
    },
  },
});
