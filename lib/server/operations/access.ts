// Access: who the caller is, their own account, the console's people and the machine tokens.
import "server-only";
import {
  apiTokenAdoptBody,
  apiTokenCreateBody,
  apiTokenCreated,
  apiTokenList,
  apiTokenRow,
  meResponse,
  passwordChangeBody,
  sessionsEnded,
  userCreateBody,
  userCreated,
  userList,
  userPatchBody,
  userRow,
} from "@/lib/schemas/access";
import { describeActor } from "@/lib/server/auth/me";
import { clientAddress } from "@/lib/server/auth/sign-in-limits";
import * as apiTokens from "@/lib/server/tokens/api-tokens";
import * as manageUsers from "@/lib/server/users/manage-users";
import * as ownAccount from "@/lib/server/users/own-account";
import * as users from "@/lib/server/users/users";
import { assertAllClients } from "@/lib/shared/scopes";
import { family } from "./define";
import { PEOPLE_403, TOKENS_403 } from "./shared";

const op = family("Access");

export const getMe = op.get({
  path: "/v2/me",
  operationId: "getMe",
  database: false,
  summary: "Who the caller is and what it may do",
  description:
    "The caller's subject, scopes, clients and console role (null for a machine token), and what those allow, for showing or hiding actions.",
  scope: "any",
  answers: { description: "The caller", schema: meResponse },
  read: async ({ actor }) => describeActor(actor),
});

export const changeOwnPassword = op.post({
  path: "/v2/me/password",
  operationId: "changeOwnPassword",
  summary: "Change one's own password",
  description:
    "For a person signed in to the console (session cookie). Needs the current password; wrong ones count towards " +
    "the account's sign-in limit (5 failures in 15 minutes, then 429 with Retry-After). Every session of the " +
    "person ends, this one too: sign in again with the new password. The new password must be 12 to 72 bytes.",
  scope: "any",
  body: { schema: passwordChangeBody },
  answers: { description: "Password changed; every session ended", schema: sessionsEnded },
  errors: {
    403: "A machine token has no password.",
    422: "The current password is wrong, or the account signs in through single sign-on.",
    429: "Too many failed attempts for this account; see Retry-After.",
  },
  write: async ({ db, actor, body, request }) => {
    await ownAccount.changeOwnPassword(db, { actor, body, address: clientAddress(request) });
    return {
      ended: true,
      message:
        "Password changed. Every session of yours has ended: sign in again with the new password.",
    };
  },
});

export const signOutEverywhere = op.delete({
  path: "/v2/me/sessions",
  operationId: "signOutEverywhere",
  summary: "Sign out everywhere",
  description:
    "Ends every session of the calling person at once, on every device and app instance, this one included.",
  scope: "any",
  answers: { description: "Every session ended", schema: sessionsEnded },
  errors: { 403: "A machine token has no sessions." },
  write: async ({ db, actor }) => {
    await ownAccount.signOutEverywhere(db, { actor });
    return { ended: true, message: "Signed out everywhere: every session of yours has ended." };
  },
});

export const listUsers = op.get({
  path: "/v2/users",
  operationId: "listUsers",
  summary: "List the console's people",
  description: "Sorted by email. Not paginated.",
  scope: "admin",
  answers: { description: "Every person", schema: userList },
  errors: { 403: PEOPLE_403 },
  read: async ({ db, actor }) => {
    assertAllClients(actor, "Listing people");
    return { items: await users.listUsers(db) };
  },
});

export const createUser = op.create({
  path: "/v2/users",
  operationId: "createUser",
  summary: "Add a person to the console",
  description:
    "Without `password` the server generates one and answers it in `password` this once; it is never shown again.",
  scope: "admin",
  body: { schema: userCreateBody },
  answers: { description: "Person added", schema: userCreated },
  errors: { 403: PEOPLE_403, 409: "A person with this email already exists." },
  write: ({ db, actor, meta, body }) => manageUsers.createUserForAdmin(db, { actor, meta, body }),
  located: (user) => [getUser, { user_id: user.id }],
});

export const getUser = op.get({
  path: "/v2/users/{user_id}",
  operationId: "getUser",
  summary: "Get a person",
  description: "One person's email, name, role and whether they are disabled. Never a password.",
  scope: "admin",
  answers: { description: "The person", schema: userRow },
  errors: { 403: PEOPLE_403 },
  read: async ({ db, actor, params }) => {
    assertAllClients(actor, "Reading a person");
    return users.getUser(db, params.user_id);
  },
});

export const patchUser = op.patch({
  path: "/v2/users/{user_id}",
  operationId: "patchUser",
  summary:
    "Change a person's role, name or password, disable or enable them, or allow or remove their single sign-on link",
  description:
    'Send at least one field. The console always keeps at least one enabled admin for all clients. Single sign-on never takes over a person with a password by email alone: `single_sign_on_link: "allow"` lets the next single sign-on with their email (verified by the identity provider) bind that identity to them, after which their role and clients follow the provider\'s claim; `"remove"` unbinds it and ends their sessions.',
  scope: "admin",
  body: { schema: userPatchBody },
  answers: { description: "The updated person", schema: userRow },
  errors: {
    403: PEOPLE_403,
    422: "Semantically invalid request — the change would demote or disable the last enabled admin.",
  },
  write: ({ db, actor, meta, params, body }) =>
    manageUsers.updateUserForAdmin(db, { actor, meta, id: params.user_id, body }),
});

export const listApiTokens = op.get({
  path: "/v2/tokens",
  operationId: "listApiTokens",
  summary: "List every machine token (console, API and `npm run token` alike)",
  description:
    "Newest first; revoked and expired tokens included, with `last_used_at`. Never the JWT itself. Not paginated. A caller limited to some clients sees only the tokens limited to those clients.",
  scope: "admin",
  answers: { description: "Every machine token", schema: apiTokenList },
  read: ({ db, actor }) => apiTokens.listApiTokens(db, { actor }),
});

export const createApiToken = op.create({
  path: "/v2/tokens",
  operationId: "createApiToken",
  summary: "Make a machine token",
  description:
    "The response's `token` is the bearer JWT, shown this once: it is not stored. It expires in 90 days unless `expires_in_seconds` or `never_expires: true` says otherwise, and carries no scope or client its creator lacks.",
  scope: "admin",
  body: { schema: apiTokenCreateBody },
  answers: { description: "Token made", schema: apiTokenCreated },
  errors: { 403: TOKENS_403 },
  write: ({ db, actor, meta, body }) => apiTokens.createApiToken(db, { actor, meta, body }),
  located: (token) => [getApiToken, { token_id: token.id }],
});

export const adoptApiToken = op.create({
  path: "/v2/tokens/adopt",
  operationId: "adoptApiToken",
  summary: "Adopt a legacy token minted without a record",
  description:
    "For a token that `npm run token` minted before 0.2.0 (signed with this server's secret, never recorded), which is refused with 401 until adopted. Records it under its own id (its `jti`) so it is accepted again, listed with its last use, revocable and expiring: in 90 days unless `expires_in_seconds` or `never_expires: true` says otherwise, and never after the JWT's own `exp`. Answers the record, not the JWT. A token that already has a record (made here, adopted, or revoked) answers 409; one not signed by this server, expired, or with a person's subject answers 400. The adopter must hold every scope and client the token carries.",
  scope: "admin",
  body: { schema: apiTokenAdoptBody },
  answers: { description: "Token adopted", schema: apiTokenRow },
  errors: {
    403: TOKENS_403,
    409: "The token is already recorded (made here, adopted before, or revoked); nothing to adopt.",
  },
  write: ({ db, actor, meta, body }) => apiTokens.adoptApiToken(db, { actor, meta, body }),
  located: (adopted) => [getApiToken, { token_id: adopted.id }],
});

export const getApiToken = op.get({
  path: "/v2/tokens/{token_id}",
  operationId: "getApiToken",
  summary: "Get a machine token's record",
  description: "Never the JWT itself. A token of clients the caller may not touch answers 404.",
  scope: "admin",
  answers: { description: "The token's record", schema: apiTokenRow },
  read: ({ db, actor, params }) => apiTokens.getApiToken(db, { actor, id: params.token_id }),
});

export const revokeApiToken = op.post({
  path: "/v2/tokens/{token_id}/revoke",
  operationId: "revokeApiToken",
  summary: "Revoke a machine token",
  description:
    "Idempotent: revoking a revoked token answers it unchanged. From the next request on, the token gets 401 on every route of this instance, and within 5 s on every other instance.",
  scope: "admin",
  answers: { description: "The revoked token's record", schema: apiTokenRow },
  errors: { 403: TOKENS_403 },
  write: ({ db, actor, meta, params }) =>
    apiTokens.revokeApiToken(db, { actor, meta, id: params.token_id }),
});
