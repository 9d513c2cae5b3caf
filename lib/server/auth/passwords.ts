// Password hashing for console users: bcrypt cost 11, with the native `bcrypt` package, which hashes on libuv's
// thread pool instead of the event loop (bcryptjs, pure JS, kept the event loop busy for the whole hash).
// Hashes are standard $2a$/$2b$ bcrypt, so those made by bcryptjs still verify.
import "server-only";
import { randomBytes } from "node:crypto";
import bcrypt from "bcrypt";

const COST = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as verifying a real password, for an unknown or disabled account: a hash of a random
 * password at the same cost, made once per process. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  await bcrypt.compare(password, await dummy);
  return false;
}

/** A random password people can type: 20 characters of base64url (~120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}
