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
import { created, defineOperation } from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import * as apiTokens from "@/lib/server/tokens/api-tokens";
import * as manageUsers from "@/lib/server/users/manage-users";
import * as ownAccount from "@/lib/server/users/own-account";
import * as users from "@/lib/server/users/users";
import { assertAllClients } from "@/lib/shared/scopes";
import { PEOPLE_403, TOKENS_403 } from "./shared";

export const getMe = defineOperation({
  method: "GET",
  path: "/v2/me",
  operationId: "getMe",
  database: false,
  tag: "Access",
  summary: "Who the caller is and what it may do",
  description:
    "The caller's subject, scopes, clients and console role (null for a machine token), and what those allow, for showing or hiding actions.",
  scope: "any",
  success: { 200: { description: "The caller", schema: meResponse } },
  handler: async ({ actor }) => json(describeActor(actor)),
});

export const changeOwnPassword = defineOperation({
  method: "POST",
  path: "/v2/me/password",
  operationId: "changeOwnPassword",
  tag: "Access",
  summary: "Change one's own password",
  description:
    "For a person signed in to the console (session cookie). Needs the current password; wrong ones count towards " +
    "the account's sign-in limit (5 failures in 15 minutes, then 429 with Retry-After). Every session of the " +
    "person ends, this one too: sign in again with the new password. The new password must be 12 to 72 bytes.",
  scope: "any",
  body: { schema: passwordChangeBody },
  success: {
    200: { description: "Password changed; every session ended", schema: sessionsEnded },
  },
  errors: {
    403: "A machine token has no password.",
    422: "The current password is wrong, or the account signs in through single sign-on.",
    429: "Too many failed attempts for this account; see Retry-After.",
  },
  handler: async ({ db, actor, body, request }) => {
    await ownAccount.changeOwnPassword(db, { actor, body, address: clientAddress(request) });
    return json({
      ended: true,
      message:
        "Password changed. Every session of yours has ended: sign in again with the new password.",
    });
  },
});

export const signOutEverywhere = defineOperation({
  method: "DELETE",
  path: "/v2/me/sessions",
  operationId: "signOutEverywhere",
  tag: "Access",
  summary: "Sign out everywhere",
  description:
    "Ends every session of the calling person at once, on every device and app instance, this one included.",
  scope: "any",
  success: { 200: { description: "Every session ended", schema: sessionsEnded } },
  errors: { 403: "A machine token has no sessions." },
  handler: async ({ db, actor }) => {
    await ownAccount.signOutEverywhere(db, { actor });
    return json({
      ended: true,
      message: "Signed out everywhere: every session of yours has ended.",
    });
  },
});

export const listUsers = defineOperation({
  method: "GET",
  path: "/v2/users",
  operationId: "listUsers",
  tag: "Access",
  summary: "List the console's people",
  description: "Sorted by email. Not paginated.",
  scope: "admin",
  success: { 200: { description: "Every person", schema: userList } },
  errors: { 403: PEOPLE_403 },
  handler: async ({ db, actor }) => {
    assertAllClients(actor, "Listing people");
    return json({ items: await users.listUsers(db) });
  },
});

export const createUser = defineOperation({
  method: "POST",
  path: "/v2/users",
  operationId: "createUser",
  tag: "Access",
  summary: "Add a person to the console",
  description:
    "Without `password` the server generates one and answers it in `password` this once; it is never shown again.",
  scope: "admin",
  body: { schema: userCreateBody },
  success: {
    201: { description: "Person added", schema: userCreated, headers: ["Location"] },
  },
  errors: { 403: PEOPLE_403, 409: "A person with this email already exists." },
  handler: async ({ db, actor, meta, body }) => {
    const user = await manageUsers.createUserForAdmin(db, { actor, meta, body });
    return created(getUser, { user_id: user.id }, user);
  },
});

export const getUser = defineOperation({
  method: "GET",
  path: "/v2/users/{user_id}",
  operationId: "getUser",
  tag: "Access",
  summary: "Get a person",
  description: "One person's email, name, role and whether they are disabled. Never a password.",
  scope: "admin",
  success: { 200: { description: "The person", schema: userRow } },
  errors: { 403: PEOPLE_403 },
  handler: async ({ db, actor, params }) => {
    assertAllClients(actor, "Reading a person");
    return json(await users.getUser(db, params.user_id));
  },
});

export const patchUser = defineOperation({
  method: "PATCH",
  path: "/v2/users/{user_id}",
  operationId: "patchUser",
  tag: "Access",
  summary:
    "Change a person's role, name or password, disable or enable them, or allow or remove their single sign-on link",
  description:
    'Send at least one field. The console always keeps at least one enabled admin for all clients. Single sign-on never takes over a person with a password by email alone: `single_sign_on_link: "allow"` lets the next single sign-on with their email (verified by the identity provider) bind that identity to them, after which their role and clients follow the provider\'s claim; `"remove"` unbinds it and ends their sessions.',
  scope: "admin",
  body: { schema: userPatchBody },
  success: { 200: { description: "The updated person", schema: userRow } },
  errors: {
    403: PEOPLE_403,
    422: "Semantically invalid request — the change would demote or disable the last enabled admin.",
  },
  handler: async ({ db, actor, meta, params, body }) =>
    json(await manageUsers.updateUserForAdmin(db, { actor, meta, id: params.user_id, body })),
});

export const listApiTokens = defineOperation({
  method: "GET",
  path: "/v2/tokens",
  operationId: "listApiTokens",
  tag: "Access",
  summary: "List every machine token (console, API and `npm run token` alike)",
  description:
    "Newest first; revoked and expired tokens included, with `last_used_at`. Never the JWT itself. Not paginated. A caller limited to some clients sees only the tokens limited to those clients.",
  scope: "admin",
  success: { 200: { description: "Every machine token", schema: apiTokenList } },
  handler: async ({ db, actor }) => json(await apiTokens.listApiTokens(db, { actor })),
});

export const createApiToken = defineOperation({
  method: "POST",
  path: "/v2/tokens",
  operationId: "createApiToken",
  tag: "Access",
  summary: "Make a machine token",
  description:
    "The response's `token` is the bearer JWT, shown this once: it is not stored. It expires in 90 days unless `expires_in_seconds` or `never_expires: true` says otherwise, and carries no scope or client its creator lacks.",
  scope: "admin",
  body: { schema: apiTokenCreateBody },
  success: {
    201: { description: "Token made", schema: apiTokenCreated, headers: ["Location"] },
  },
  errors: { 403: TOKENS_403 },
  handler: async ({ db, actor, meta, body }) => {
    const token = await apiTokens.createApiToken(db, { actor, meta, body });
    return created(getApiToken, { token_id: token.id }, token);
  },
});

export const adoptApiToken = defineOperation({
  method: "POST",
  path: "/v2/tokens/adopt",
  operationId: "adoptApiToken",
  tag: "Access",
  summary: "Adopt a legacy token minted without a record",
  description:
    "For a token that `npm run token` minted before 0.2.0 (signed with this server's secret, never recorded), which is refused with 401 until adopted. Records it under its own id (its `jti`) so it is accepted again, listed with its last use, revocable and expiring: in 90 days unless `expires_in_seconds` or `never_expires: true` says otherwise, and never after the JWT's own `exp`. Answers the record, not the JWT. A token that already has a record (made here, adopted, or revoked) answers 409; one not signed by this server, expired, or with a person's subject answers 400. The adopter must hold every scope and client the token carries.",
  scope: "admin",
  body: { schema: apiTokenAdoptBody },
  success: {
    201: { description: "Token adopted", schema: apiTokenRow, headers: ["Location"] },
  },
  errors: {
    403: TOKENS_403,
    409: "The token is already recorded (made here, adopted before, or revoked); nothing to adopt.",
  },
  handler: async ({ db, actor, meta, body }) => {
    const adopted = await apiTokens.adoptApiToken(db, { actor, meta, body });
    return created(getApiToken, { token_id: adopted.id }, adopted);
  },
});

export const getApiToken = defineOperation({
  method: "GET",
  path: "/v2/tokens/{token_id}",
  operationId: "getApiToken",
  tag: "Access",
  summary: "Get a machine token's record",
  description: "Never the JWT itself. A token of clients the caller may not touch answers 404.",
  scope: "admin",
  success: { 200: { description: "The token's record", schema: apiTokenRow } },
  handler: async ({ db, actor, params }) =>
    json(await apiTokens.getApiToken(db, { actor, id: params.token_id })),
});

export const revokeApiToken = defineOperation({
  method: "POST",
  path: "/v2/tokens/{token_id}/revoke",
  operationId: "revokeApiToken",
  tag: "Access",
  summary: "Revoke a machine token",
  description:
    "Idempotent: revoking a revoked token answers it unchanged. From the next request on, the token gets 401 on every route of this instance, and within 5 s on every other instance.",
  scope: "admin",
  success: { 200: { description: "The revoked token's record", schema: apiTokenRow } },
  errors: { 403: TOKENS_403 },
  handler: async ({ db, actor, meta, params }) =>
    json(await apiTokens.revokeApiToken(db, { actor, meta, id: params.token_id })),
});
