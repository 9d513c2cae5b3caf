// GET, PATCH /v2/clients/{c}/domains/{d}: one domain; PATCH (admin) renames it or sets it active/inactive.
import { getDatabase } from "@/lib/server/database";
import { getDomain, patchDomain } from "@/lib/server/tenancy/tenancy";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { domainPatchBody } from "@/lib/schemas/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "any",
    handler: async (ctx) =>
      json(
        await getDomain(await getDatabase(), {
          clientId: ctx.params.client_id!,
          domainId: ctx.params.domain_id!,
        }),
      ),
  },
  PATCH: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, domainPatchBody);
      return json(
        await patchDomain(await getDatabase(), {
          actor: ctx.actor,
          meta: ctx,
          clientId: ctx.params.client_id!,
          domainId: ctx.params.domain_id!,
          body,
        }),
      );
    },
  },
});
