// Where to go after signing in: only a path on this site, so a crafted link can't send people elsewhere.
const FALLBACK = "/clients";

export function safeCallbackPath(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : FALLBACK;
}
