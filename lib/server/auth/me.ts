// GET /v2/me: who the caller is and what it may do, for the console to show or hide actions.
import "server-only";
import type { Me } from "@/lib/schemas/access";
import { hasScope, SCOPES, type Actor } from "@/lib/shared/scopes";

export function describeActor(actor: Actor): Me {
  return {
    subject: actor.subject,
    via: actor.via,
    scopes: SCOPES.filter((s) => actor.scopes.has(s)),
    clients: actor.clients === "*" ? "*" : [...actor.clients].sort(),
    role: actor.role ?? null,
    must_change_password: actor.mustChangePassword === true,
    can: {
      write_assignments: hasScope(actor, "assignments:write"),
      write_services: hasScope(actor, "services:write"),
      write_models: hasScope(actor, "models:write"),
      admin: hasScope(actor, "admin"),
    },
  };
}
