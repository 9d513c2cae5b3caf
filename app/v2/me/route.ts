// GET /v2/me: the caller's subject, scopes, clients, console role and what those allow.
import { describeActor } from "@/lib/server/auth/me";
import { defineRoute, json } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "any", handler: async (ctx) => json(describeActor(ctx.actor)) },
});
