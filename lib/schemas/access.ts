// Who the caller is (/v2/me), console people (/v2/users) and machine tokens (/v2/tokens).
import { z } from "zod";
import { checkPassword } from "@/lib/shared/password-rule";
import { ROLES, SCOPES } from "@/lib/shared/scopes";
import { emailAddress, identifier, isoDateTime, list } from "./common";

export const scopeSchema = z.enum(SCOPES);
export const roleSchema = z.enum(ROLES);

const clientsSchema = z.union([z.literal("*"), z.array(z.string())]);

export const meResponse = z
  .object({
    subject: z
      .string()
      .meta({ description: "The token's sub, or user:<email> for a person's session" }),
    via: z.enum(["token", "session"]),
    scopes: z.array(scopeSchema),
    clients: clientsSchema.meta({ description: 'The clients the caller may touch; "*" for all' }),
    role: roleSchema
      .nullable()
      .meta({ description: "A person's console role; null for a machine token" }),
    must_change_password: z.boolean().meta({
      description:
        "True for a person signed in with a password someone else chose: every other route answers 403 until they choose their own (POST /v2/me/password)",
    }),
    can: z
      .object({
        write_assignments: z.boolean(),
        write_services: z.boolean(),
        write_models: z.boolean(),
        admin: z.boolean(),
      })
      .meta({ description: "What the caller's scopes allow, for showing or hiding actions" }),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof meResponse>;

// ---- people ----

/** The one password rule (12–72 UTF-8 bytes), with the same message as the CLI and the My account form. */
const password = z
  .string()
  .superRefine((value, ctx) => {
    const problem = checkPassword(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ description: "12 to 72 bytes of UTF-8 (bcrypt reads no further)" });

export const userRow = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: roleSchema,
    disabled: z.boolean(),
    must_change_password: z.boolean().meta({
      description:
        "True while the person signs in with a password someone else chose (first start, an admin, generated): they must choose their own before anything else",
    }),
    single_sign_on: z.boolean().meta({
      description:
        "True for people created by their first single sign-on: their role and clients come from the identity provider at each sign-in",
    }),
    clients: z
      .array(z.string())
      .nullable()
      .meta({ description: "The clients the person may touch; null for all" }),
    single_sign_on_identity: z.object({ issuer: z.string(), subject: z.string() }).nullable().meta({
      description:
        "The identity provider's identity (ID token `iss` and `sub`) bound to the person; a single sign-on finds its person by it. Null when none is bound yet",
    }),
    single_sign_on_link_allowed: z.boolean().meta({
      description:
        'True after an admin sent `single_sign_on_link: "allow"`: the next single sign-on with this email (verified by the provider) binds its identity to the person',
    }),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: "User" });
export type User = z.infer<typeof userRow>;

export const userList = list(userRow, "UserList");

export const userCreateBody = z
  .strictObject({
    email: emailAddress,
    name: z.string().min(1).max(200).optional(),
    role: roleSchema,
    password: password
      .optional()
      .meta({ description: "Omit to have the server generate one, returned once in the response" }),
    must_change_password: z.boolean().optional().meta({
      description:
        "Default true: the person must choose their own password at their first sign-in, since you know this one",
    }),
  })
  .meta({ id: "UserCreate" });
export type UserCreateBody = z.input<typeof userCreateBody>;

export const userCreated = userRow
  .extend({
    password: z.string().optional().meta({
      description: "The generated password, shown this once; absent when the request set one",
    }),
  })
  .meta({ id: "UserCreated" });
export type UserCreated = z.infer<typeof userCreated>;

export const userPatchBody = z
  .strictObject({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    name: z.string().min(1).max(200).nullable().optional(),
    password: password.optional(),
    must_change_password: z.boolean().optional().meta({
      description:
        "With password: default true, the person must choose their own at their next sign-in",
    }),
    hand_tokens_to: z.uuid("hand_tokens_to must be a person's id (GET /v2/users)").optional().meta({
      description:
        "With disabled: true, the person (id) who takes over the tokens the disabled person made, instead of their being revoked",
    }),
    single_sign_on_link: z.enum(["allow", "remove"]).optional().meta({
      description:
        '"allow": the next single sign-on with the person\'s email (verified by the identity provider) binds that identity to this person, replacing any bound one; their role and clients then follow the provider\'s claim. Needed for a person with a password, whom single sign-on never takes over by email alone. "remove": unbinds the identity (their sessions end) and withdraws an allowance',
    }),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message:
      "send at least one of role, disabled, name, password, single_sign_on_link, hand_tokens_to",
  })
  .refine((body) => body.must_change_password === undefined || body.password !== undefined, {
    message:
      "must_change_password goes with password (it says whether the new password must be changed)",
    path: ["must_change_password"],
  })
  .refine((body) => body.hand_tokens_to === undefined || body.disabled === true, {
    message:
      "hand_tokens_to goes with disabled: true (it hands over the tokens of a person being disabled)",
    path: ["hand_tokens_to"],
  })
  .meta({ id: "UserPatch" });
export type UserPatchBody = z.input<typeof userPatchBody>;

// ---- machine tokens ----

export const apiTokenRow = z
  .object({
    id: z.uuid().meta({ description: "The token's id, its JWT's jti" }),
    name: z.string(),
    subject: z
      .string()
      .meta({ description: "The JWT's sub: what created_by records for its writes" }),
    scopes: z.array(scopeSchema),
    clients: clientsSchema,
    created_by: z.string(),
    owner_user_id: z.uuid().nullable().meta({
      description:
        "The person the token answers to (who made it, or the person behind the token that made it): disabling them revokes it unless it is handed over. Null for tokens made on the server's command line",
    }),
    parent_token_id: z.uuid().nullable().meta({
      description:
        "The token that made this one, whose expiry bounds it; null when a person made it",
    }),
    created_at: isoDateTime,
    expires_at: isoDateTime
      .nullable()
      .meta({ description: "When the token stops working; null for a token that never expires" }),
    revoked_at: isoDateTime.nullable(),
    last_used_at: isoDateTime.nullable().meta({
      description:
        "When the token was last used (recorded at most once a minute); null if never used",
    }),
    adopted_at: isoDateTime.nullable().meta({
      description:
        "When a token minted without a record (by `npm run token` before 0.2.0) was adopted; null for tokens made here",
    }),
  })
  .meta({ id: "ApiToken" });
export type ApiToken = z.infer<typeof apiTokenRow>;

export const apiTokenList = list(apiTokenRow, "ApiTokenList");

export const apiTokenCreateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    subject: z
      .string()
      .trim()
      .min(1)
      .max(200)
      // People act as `user:<email>` (sessions); a token naming itself so would forge a person in the audit log.
      .refine((subject) => !/^\s*user:/i.test(subject), {
        message:
          'A token can\'t take a person\'s subject ("user:…"); name the machine instead, e.g. "token:deploy-bot"',
      })
      .optional()
      .meta({
        description:
          'The JWT\'s sub; default "token:<name>". "user:…" subjects are people\'s and are refused',
      }),
    scopes: z.array(scopeSchema).min(1).max(SCOPES.length),
    clients: z
      .union([z.literal("*"), z.array(identifier("Tenant identifier")).min(1).max(1000)])
      .meta({
        description: 'The clients the token may touch: a list of client ids, or "*" for all',
      }),
    expires_in_seconds: z
      .number()
      .int()
      .min(60)
      .max(10 * 366 * 24 * 3600)
      .optional()
      .meta({ description: "Lifetime in seconds; omit for the default of 90 days" }),
    never_expires: z.literal(true).optional().meta({
      description:
        "true for a token that lasts until revoked; must be asked for explicitly, and not together with expires_in_seconds",
    }),
    outlive_creator: z.literal(true).optional().meta({
      description:
        "A token made by a token can't outlive it; true lets it (only an all-clients admin may say so)",
    }),
  })
  .refine((body) => !(body.never_expires && body.expires_in_seconds !== undefined), {
    message: "send either expires_in_seconds or never_expires: true, not both",
    path: ["never_expires"],
  })
  .meta({ id: "ApiTokenCreate" });
export type ApiTokenCreateBody = z.input<typeof apiTokenCreateBody>;

export const apiTokenCreated = apiTokenRow
  .extend({
    token: z.string().meta({ description: "The bearer JWT, shown this once: it is not stored" }),
  })
  .meta({ id: "ApiTokenCreated" });
export type ApiTokenCreated = z.infer<typeof apiTokenCreated>;

export const apiTokenAdoptBody = z
  .strictObject({
    token: z.string().trim().min(1).max(8192).meta({
      description:
        "The legacy JWT itself (minted by `npm run token` before 0.2.0, signed with this server's secret)",
    }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'How the Access page lists it; default "adopted <subject>"' }),
    expires_in_seconds: z
      .number()
      .int()
      .min(60)
      .max(10 * 366 * 24 * 3600)
      .optional()
      .meta({
        description:
          "How long it keeps working from now; omit for the default of 90 days. Never later than the JWT's own exp",
      }),
    never_expires: z.literal(true).optional().meta({
      description:
        "true to keep it until revoked (or until the JWT's own exp); not together with expires_in_seconds",
    }),
  })
  .refine((body) => !(body.never_expires && body.expires_in_seconds !== undefined), {
    message: "send either expires_in_seconds or never_expires: true, not both",
    path: ["never_expires"],
  })
  .meta({ id: "ApiTokenAdopt" });
export type ApiTokenAdoptBody = z.input<typeof apiTokenAdoptBody>;

// ---- one's own account ----

export const passwordChangeBody = z
  .strictObject({
    current_password: z.string().min(1, "enter your current password").max(1000),
    new_password: password,
  })
  .meta({ id: "PasswordChange" });

export const sessionsEnded = z
  .object({
    ended: z.literal(true),
    message: z.string(),
  })
  .meta({ id: "SessionsEnded" });
