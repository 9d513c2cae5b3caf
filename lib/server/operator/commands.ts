// What the operator's command line does (`npm run token`, `npm run user`), as one set of commands run either
// directly on the database (PostgreSQL, or the embedded folder when no server holds it) or by the running server
// on the CLI's behalf, over its local socket (lib/server/operator/socket.ts). Either way through the same code as
// the API: createApiToken as POST /v2/tokens does, the users store as /v2/users does, audited as `cli:<os user>`.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Database } from "@/db/types";
import { apiTokenAdoptBody, apiTokenCreateBody } from "@/lib/schemas/access";
import { EMAIL_REGEX } from "@/lib/schemas/common";
import { generatePassword } from "@/lib/server/auth/passwords";
import { adoptApiToken, createApiToken } from "@/lib/server/tokens/api-tokens";
import { createUser, findUserByEmail, listUsers, updateUser } from "@/lib/server/users/users";
import { ApiError } from "@/lib/shared/errors";
import { checkPassword } from "@/lib/shared/password-rule";
import { ROLES, type Actor } from "@/lib/shared/scopes";

// An operating-system account name, as the audit log records it.
const osUser = z.string().regex(/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/, "not a user name");
const email = z
  .string()
  .trim()
  .regex(
    EMAIL_REGEX,
    "--email must look like name@example.com or admin@localhost (one @, no spaces)",
  );
const givenPassword = z
  .string()
  .max(1000)
  .refine((p) => checkPassword(p) === null, { error: (i) => checkPassword(String(i.input)) ?? "" })
  .optional();

export const operatorRequest = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("token.create"), os_user: osUser, body: apiTokenCreateBody }),
  z.strictObject({ op: z.literal("token.adopt"), os_user: osUser, body: apiTokenAdoptBody }),
  z.strictObject({ op: z.literal("user.list"), os_user: osUser }),
  z.strictObject({
    op: z.literal("user.add"),
    os_user: osUser,
    email,
    role: z.enum(ROLES),
    name: z.string().min(1).max(200).optional(),
    password: givenPassword,
  }),
  z.strictObject({
    op: z.literal("user.set-role"),
    os_user: osUser,
    email,
    role: z.enum(ROLES),
  }),
  z.strictObject({
    op: z.literal("user.reset-password"),
    os_user: osUser,
    email,
    password: givenPassword,
  }),
]);
export type OperatorRequest = z.input<typeof operatorRequest>;

/** What the CLI prints: stdout lines (the JWT alone, for `$(npm run -s token …)`), stderr notes, or a refusal. */
export type OperatorResult =
  { ok: true; stdout: string[]; stderr: string[] } | { ok: false; message: string };

const done = (stdout: string[], stderr: string[] = []): OperatorResult => ({
  ok: true,
  stdout,
  stderr,
});

/** Runs one command; refusals (bad input, a conflict, an unknown person) come back as `ok: false`. */
export async function runOperatorCommand(
  database: Database,
  input: unknown,
): Promise<OperatorResult> {
  const parsed = operatorRequest.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
        .join("; "),
    };
  const request = parsed.data;
  const subject = `cli:${request.os_user}`;
  const meta = { requestId: randomUUID() };
  // The operator has the database itself: it may make or adopt any token.
  const operator: Actor = { subject, scopes: new Set(["admin"]), clients: "*", via: "token" };
  const asOperator = { actor: operator, meta };
  try {
    switch (request.op) {
      case "token.adopt": {
        const adopted = await adoptApiToken(database, { ...asOperator, body: request.body });
        return done(
          [],
          [
            `token: adopted as ${adopted.id} "${adopted.name}" (${adopted.expires_at ? `expires ${adopted.expires_at}` : "never expires"}); ` +
              `it is accepted again, listed on the Access page, and can be revoked there or with POST /v2/tokens/${adopted.id}/revoke`,
          ],
        );
      }
      case "token.create": {
        const created = await createApiToken(database, { ...asOperator, body: request.body });
        return done(
          [created.token],
          [
            `token: recorded as ${created.id} (${created.expires_at ? `expires ${created.expires_at}` : "never expires"}); ` +
              `revoke it on the Access page or with POST /v2/tokens/${created.id}/revoke`,
          ],
        );
      }
      case "user.list":
        return done(
          (await listUsers(database)).map(
            (u) => `${u.email}\t${u.role}${u.disabled ? "\tdisabled" : ""}`,
          ),
        );
      case "user.add": {
        const password = request.password ?? generatePassword();
        const user = await createUser(database, {
          body: {
            email: request.email,
            name: request.name,
            role: request.role,
            password,
            // A generated password is printed for someone else: good for one sign-in.
            must_change_password: request.password === undefined,
          },
          subject,
          meta,
        });
        return done([
          `added ${user.email} (${user.role})`,
          ...(request.password ? [] : [`password: ${password}`]),
        ]);
      }
      case "user.set-role":
      case "user.reset-password": {
        const found = await findUserByEmail(database, request.email);
        if (!found) return { ok: false, message: `no user with email "${request.email}"` };
        if (request.op === "user.set-role") {
          await updateUser(database, { id: found.id, body: { role: request.role }, subject, meta });
          return done([`${request.email} is now ${request.role} (their sessions have ended)`]);
        }
        const password = request.password ?? generatePassword();
        await updateUser(database, {
          id: found.id,
          body: { password, must_change_password: request.password === undefined },
          subject,
          meta,
        });
        return done([
          `password for ${request.email} reset${request.password ? "" : `: ${password}`} (their sessions have ended)`,
        ]);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, message: error.message };
    throw error;
  }
}
