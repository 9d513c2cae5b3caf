// DELETE /v2/me/sessions: sign out everywhere. Every session of the calling person ends at once, on every
// device and app instance (this one too).
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json } from "@/lib/server/http/route";
import { signOutEverywhere } from "@/lib/server/users/own-account";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  DELETE: {
    scope: "any",
    handler: async (ctx) => {
      await signOutEverywhere(await getDatabase(), { actor: ctx.actor });
      return json({
        ended: true,
        message: "Signed out everywhere: every session of yours has ended.",
      });
    },
  },
});
