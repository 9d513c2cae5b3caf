// GET /v2/clients/{c}/domains/{d}/assignment-keys: every key assigned in the domain (active domain defaults and
// service overrides), each with its domain default and how many services override it.
import { getDatabase } from "@/lib/server/database";
import { listAssignmentKeys } from "@/lib/server/assignments/assignment-keys";
import { defineRoute, json } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "assignments:read",
    handler: async (ctx) =>
      json(
        await listAssignmentKeys(await getDatabase(), {
          clientId: ctx.params.client_id!,
          domainId: ctx.params.domain_id!,
        }),
      ),
  },
});
