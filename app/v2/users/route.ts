// GET, POST /v2/users: the console's people (admins only); POST adds one, with a generated password shown once
// when none is given.
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { userCreateBody } from "@/lib/schemas/access";
import { createUserForAdmin } from "@/lib/server/users/manage-users";
import { assertAllClients } from "@/lib/shared/scopes";
import { listUsers } from "@/lib/server/users/users";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) => {
      assertAllClients(ctx.actor, "Listing people");
      return json({ items: await listUsers(await getDatabase()) });
    },
  },
  POST: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, userCreateBody);
      const user = await createUserForAdmin(await getDatabase(), {
        actor: ctx.actor,
        meta: ctx,
        body,
      });
      return json(user, { status: 201, headers: { location: `/v2/users/${user.id}` } });
    },
  },
});
