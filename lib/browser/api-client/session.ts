// Sign in and out against next-auth's own endpoints with plain fetch: the console needs only these two calls,
// and next-auth/react would add ~13 kB (gzip) to every page.
async function csrfToken(): Promise<string> {
  const res = await fetch("/api/auth/csrf", { credentials: "same-origin" });
  const body = (await res.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error("Could not start signing in; reload the page and try again");
  return body.csrfToken;
}

async function post(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ ...fields, csrfToken: await csrfToken(), json: "true" }),
  });
}

type SignInResult = { ok: true } | { ok: false; message: string };

const WRONG = "Wrong email or password, or the account is disabled.";

/** Signs in with email and password; on failure, the message to show (a lockout says when to try again). */
export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  const res = await post("/api/auth/callback/credentials", {
    email,
    password,
    callbackUrl: window.location.href,
  });
  if (res.status === 429) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    return { ok: false, message: body.message ?? "Too many failed attempts; try again later." };
  }
  if (!res.ok) return { ok: false, message: WRONG };
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  // next-auth answers with the URL it would redirect to; a failed sign-in carries ?error=.
  return !!body.url && !new URL(body.url, window.location.origin).searchParams.has("error")
    ? { ok: true }
    : { ok: false, message: WRONG };
}

/** Starts single sign-on: next-auth answers with the identity provider's authorization URL, where we go. */
export async function signInWithProvider(providerId: string, callbackUrl: string): Promise<void> {
  const res = await post(`/api/auth/signin/${encodeURIComponent(providerId)}`, { callbackUrl });
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  if (!res.ok || !body.url) throw new Error("Could not start single sign-on; try again");
  window.location.assign(body.url);
}

export async function signOutAndLeave(to = "/login"): Promise<void> {
  await post("/api/auth/signout", { callbackUrl: to });
  window.location.assign(to);
}
