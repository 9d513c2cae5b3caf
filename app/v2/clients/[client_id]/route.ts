// GET, PATCH /v2/clients/{c}: one tenant; PATCH (admin) renames it or sets whether changes need a reason.
import { getDatabase } from "@/lib/server/database";
import { getClient, patchClient } from "@/lib/server/tenancy/tenancy";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { clientPatchBody } from "@/lib/schemas/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "any",
    handler: async (ctx) =>
      json(await getClient(await getDatabase(), { clientId: ctx.params.client_id! })),
  },
  PATCH: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, clientPatchBody);
      return json(
        await patchClient(await getDatabase(), {
          actor: ctx.actor,
          meta: ctx,
          clientId: ctx.params.client_id!,
          body,
        }),
      );
    },
  },
});
