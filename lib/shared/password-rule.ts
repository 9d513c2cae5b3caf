// The one password rule, shared by the CLI, the /v2 API and the My account form (client-safe: no imports).
// Counted in UTF-8 bytes, because bcrypt reads at most 72 bytes: a longer password would be cut silently.
export const PASSWORD_MIN_BYTES = 12;
export const PASSWORD_MAX_BYTES = 72;

const PASSWORD_RULE_MESSAGE = `Passwords must be ${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes long (UTF-8: letters outside ASCII count as 2 to 4 bytes)`;

function passwordBytes(password: string): number {
  return new TextEncoder().encode(password).length;
}

/** Null when the password meets the rule; otherwise the message saying what to fix. */
export function checkPassword(password: string): string | null {
  const bytes = passwordBytes(password);
  if (bytes < PASSWORD_MIN_BYTES || bytes > PASSWORD_MAX_BYTES)
    return `${PASSWORD_RULE_MESSAGE}; this one is ${bytes} bytes`;
  return null;
}
