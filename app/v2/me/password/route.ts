// POST /v2/me/password: a signed-in person changes their own password; every session of theirs ends.
import { getDatabase } from "@/lib/server/database";
import { clientAddress } from "@/lib/server/auth/sign-in-limits";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { passwordChangeBody } from "@/lib/schemas/access";
import { changeOwnPassword } from "@/lib/server/users/own-account";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  POST: {
    scope: "any",
    handler: async (ctx) => {
      const body = await readJson(ctx, passwordChangeBody);
      await changeOwnPassword(await getDatabase(), {
        actor: ctx.actor,
        body,
        address: clientAddress(ctx.request),
      });
      return json({
        ended: true,
        message:
          "Password changed. Every session of yours has ended: sign in again with the new password.",
      });
    },
  },
});
