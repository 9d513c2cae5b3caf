// GET, PATCH /v2/users/{user_id}: one person (admins only); PATCH changes role, disabled, name or password, and
// refuses (422) to leave the console without an enabled admin.
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { userPatchBody } from "@/lib/schemas/access";
import { updateUserForAdmin } from "@/lib/server/users/manage-users";
import { assertAllClients } from "@/lib/shared/scopes";
import { getUser } from "@/lib/server/users/users";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) => {
      assertAllClients(ctx.actor, "Reading a person");
      return json(await getUser(await getDatabase(), ctx.params.user_id!));
    },
  },
  PATCH: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, userPatchBody);
      return json(
        await updateUserForAdmin(await getDatabase(), {
          actor: ctx.actor,
          meta: ctx,
          id: ctx.params.user_id!,
          body,
        }),
      );
    },
  },
});
