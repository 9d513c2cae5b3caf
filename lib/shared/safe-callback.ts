// Where to go after signing in: only a path on this site, so a crafted link can't send people elsewhere.
// Browsers read "/\evil.example" as "//evil.example" and drop tabs and newlines ("/%09/evil.example" arrives
// as "/\t/evil.example"), so a "starts with / but not //" check is not enough: the path is resolved the way a
// browser would resolve it and kept only when it stays on this origin.
const FALLBACK = "/clients";
const BASE = "http://callback.invalid";

export function safeCallbackPath(raw: string | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//")) return FALLBACK;
  // Backslashes, control characters and their percent-encodings have no business in a console path.
  if (/[\\\u0000-\u001f\u007f]|%(?:5c|0[0-9a-f]|1[0-9a-f]|7f)/i.test(raw)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== BASE || url.pathname.startsWith("//")) return FALLBACK;
  return `${url.pathname}${url.search}${url.hash}`;
}
