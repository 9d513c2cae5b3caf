// Password hashing for console users: bcrypt (pure JS, no native build), cost 11.
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

const COST = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A random password people can type: 20 characters of base64url (~120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}
