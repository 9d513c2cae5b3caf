// Webhook signing secrets: generated here, shown once, stored encrypted (AES-256-GCM with a key derived from
// AUTH_SECRET by HKDF) because the server needs them in clear to sign every delivery.
import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { getAuthSecret } from "@/lib/server/auth/secret";

const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(
    hkdfSync("sha256", getAuthSecret(), Buffer.alloc(0), "model-console webhook secrets", 32),
  );
}

/** 32 random bytes, as the text the receiver keeps (and the HMAC key, as its UTF-8 bytes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function encryptSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
}

/** Throws when AUTH_SECRET changed since the webhook was made (the secret can't be recovered). */
export function decryptSecret(stored: string): string {
  const [version, payload] = stored.split(":");
  if (version !== VERSION || !payload) throw new Error("unknown webhook secret format");
  const raw = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** The X-Signature header value for a body sent at `unixSeconds`. */
export function signature(secret: string, unixSeconds: number, body: string): string {
  const hex = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${hex}`;
}
