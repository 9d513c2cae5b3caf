// The API's scopes and the console roles that map onto them.
import { forbidden } from "@/lib/shared/errors";

export const SCOPES = [
  "assignments:read",
  "assignments:write",
  "services:read",
  "services:write",
  "models:read",
  "models:write",
  // Reports of what a service runs (observed state): a fleet's reporting token can't change assignments.
  "observations:write",
  "admin",
] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  viewer: ["assignments:read", "services:read", "models:read"],
  editor: [
    "assignments:read",
    "assignments:write",
    "services:read",
    "services:write",
    "models:read",
  ],
  admin: ["admin"],
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Who is calling: a machine token or a person's session, reduced to the same shape. */
export type Actor = {
  subject: string;
  scopes: ReadonlySet<Scope>;
  /** The clients the caller may touch; "*" for all. */
  clients: ReadonlySet<string> | "*";
  via: "token" | "session";
  tokenId?: string;
  /** When the caller's token expires (seconds since the epoch); unset for sessions and tokens without expiry. */
  tokenExpiresAt?: number;
  /** A person's console role (sessions only). */
  role?: Role;
  /** The person's users.id (sessions only). */
  userId?: string;
  /** A session whose person must choose their own password before anything else (sessions only). */
  mustChangePassword?: boolean;
};

/** Scopes that carry another: whoever may write assignments may also report what a service runs. */
const IMPLIED_BY: Partial<Record<Scope, Scope>> = { "observations:write": "assignments:write" };

export function hasScope(actor: Actor, scope: Scope): boolean {
  const wider = IMPLIED_BY[scope];
  return (
    actor.scopes.has("admin") ||
    actor.scopes.has(scope) ||
    (wider !== undefined && actor.scopes.has(wider))
  );
}

export function canTouchClient(actor: Actor, clientId: string): boolean {
  return actor.clients === "*" || actor.clients.has(clientId);
}

/** For what spans every client (people, creating clients): only a caller that may touch every client. */
export function assertAllClients(actor: Actor, what: string): void {
  if (actor.clients !== "*") {
    throw forbidden(
      `${what} needs a caller that may touch every client: this token is limited to some clients (clients "*" is needed)`,
    );
  }
}
