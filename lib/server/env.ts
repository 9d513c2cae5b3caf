// The validated environment: a bad value stops the start with a message naming the variable.
import "server-only";
import { z } from "zod";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A whole number from min to max; anything else answers `message` (what the variable takes). */
const wholeNumber = (min: number, max: number, message: string) =>
  z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: wholeNumber(1, 65535, "a port number from 1 to 65535").default(3000),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_POOL_SIZE: wholeNumber(1, 200, "a whole number of connections from 1 to 200").default(
    10,
  ),
  // Seconds an idle pool connection stays open (default in db/client.ts); 0 keeps it until the process ends.
  DATABASE_POOL_IDLE_SECONDS: wholeNumber(
    0,
    86_400,
    "a whole number of seconds from 0 (keep idle connections open) to 86400",
  ).optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  SEED_DEMO: booleanish.default(true),
  // Open change streams (server-sent events) per token and per person, across all instances; more answer 429.
  CHANGE_STREAMS_PER_CREDENTIAL: wholeNumber(
    1,
    1000,
    "a whole number of streams from 1 to 1000",
  ).default(10),
  // Where webhooks may point: comma-separated host names or addresses, "*" for any (lib/server/webhooks/target.ts).
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .regex(
      /^[A-Za-z0-9.:\[\]*_-]+(\s*,\s*[A-Za-z0-9.:\[\]*_-]+)*$/,
      "WEBHOOK_ALLOWED_HOSTS must be comma-separated host names or addresses, or *",
    )
    .optional(),
  // Single sign-on (OpenID Connect): set the issuer, client id and secret together, or none of them.
  OIDC_ISSUER: z.url("OIDC_ISSUER must be the identity provider's issuer URL").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(60).default("single sign-on"),
  OIDC_SCOPE: z.string().min(1).default("openid email profile"),
  OIDC_ROLE_CLAIM: z.string().min(1).default("groups"),
  OIDC_GROUP_MAP: z.string().min(2).optional(),
});
// Without an issuer and an audience, every token the identity provider signs for any application would be
// accepted here with whatever scopes it claims.
const checkedEnv = envSchema.superRefine((env, ctx) => {
  if (!env.AUTH_JWKS_URL) return;
  for (const key of ["AUTH_ISSUER", "AUTH_AUDIENCE"] as const) {
    if (!env[key])
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `${key} is required with AUTH_JWKS_URL, so only tokens your identity provider issued for this console are accepted`,
      });
  }
});

type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Validates an environment (empty values count as unset); throws naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    raw[key] = value === "" ? undefined : value;
  }
  const parsed = checkedEnv.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
