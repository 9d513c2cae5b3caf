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

/** True when the email and password were accepted and the session cookie is set. */
export async function signInWithPassword(email: string, password: string): Promise<boolean> {
  const res = await post("/api/auth/callback/credentials", {
    email,
    password,
    callbackUrl: window.location.href,
  });
  if (!res.ok) return false;
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  // next-auth answers with the URL it would redirect to; a failed sign-in carries ?error=.
  return !!body.url && !new URL(body.url, window.location.origin).searchParams.has("error");
}

export async function signOutAndLeave(to = "/login"): Promise<void> {
  await post("/api/auth/signout", { callbackUrl: to });
  window.location.assign(to);
}
