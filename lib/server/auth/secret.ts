// The HS256 secret shared by the server and the token CLI.
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/server/env";

let cached: Uint8Array | undefined;
let cachedText: string | undefined;

/**
 * AUTH_SECRET when set. Otherwise, on the embedded default, a secret generated once and kept in DATA_DIR so
 * tokens survive restarts. With DATABASE_URL in production a missing AUTH_SECRET is a configuration error:
 * every instance must share one secret.
 */
export function getAuthSecret(): Uint8Array {
  cached ??= new TextEncoder().encode(getAuthSecretText());
  return cached;
}

/** The same secret as text, for next-auth (which derives its session encryption key from it). */
export function getAuthSecretText(): string {
  if (cachedText) return cachedText;
  const env = getEnv();
  if (env.AUTH_SECRET) {
    cachedText = env.AUTH_SECRET;
    return cachedText;
  }
  if (env.DATABASE_URL && env.NODE_ENV === "production") {
    throw new Error(
      "AUTH_SECRET is not set. With DATABASE_URL in production every app instance must sign and verify tokens " +
        "with one shared secret: set AUTH_SECRET to a random string of at least 32 characters " +
        "(for example: openssl rand -base64 48).",
    );
  }
  const dir = path.resolve(env.DATA_DIR);
  const file = path.join(dir, "auth-secret");
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(48).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  cachedText = fs.readFileSync(file, "utf8").trim();
  return cachedText;
}
