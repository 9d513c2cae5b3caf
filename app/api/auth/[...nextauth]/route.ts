// /api/auth/*: next-auth's sign-in, sign-out and session endpoints for the console. A password sign-in first
// passes the database-kept limits (lib/server/auth/sign-in-limits.ts): a locked account or address gets 429 with
// Retry-After before next-auth or bcrypt run; every password sign-in's outcome is written to the audit log.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { getDatabase } from "@/lib/server/database";
import { writeAudit } from "@/lib/server/audit/write-audit";
import { getAuthOptions } from "@/lib/server/auth/next-auth-options";
import {
  clientAddress,
  lockoutMessage,
  releaseAfterSuccess,
  reserveAttempt,
} from "@/lib/server/auth/sign-in-limits";

type Handler = (
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
) => Promise<Response>;

const nextAuth: Handler = (request, context) =>
  (NextAuth(getAuthOptions()) as unknown as Handler)(request, context);

const SESSION_COOKIE = /(^|,\s*)(__Secure-)?next-auth\.session-token(\.\d+)?=[^;,\s]/;
const MAX_EMAIL_IN_AUDIT = 320;

/** A sign-in form is a few hundred bytes; anything far larger is refused before it is read further. */
const MAX_SIGN_IN_BODY_BYTES = 16 * 1024;

const refuse = (status: number, message: string) =>
  Response.json({ success: false, message }, { status, headers: { "cache-control": "no-store" } });

/**
 * The one shape of a password sign-in this server accepts: a urlencoded form posted to exactly
 * /api/auth/callback/credentials, with one `email` and one `password`. The limiter must count the email that
 * next-auth checks; next-auth also accepts JSON bodies, takes the last of duplicate fields and ignores extra
 * path segments, so every other shape is refused here (a lockout that held for the form fell to those).
 */
async function readSignInForm(
  request: Request,
  segments: string[],
): Promise<{ body: string; email: string } | Response> {
  if (segments.length !== 2 || segments[0] !== "callback" || segments[1] !== "credentials")
    return refuse(404, "Not found: password sign-in is POST /api/auth/callback/credentials");
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  // next-auth parses any body whose Content-Type merely contains "application/json" as JSON.
  if (
    contentType.split(";")[0]!.trim() !== "application/x-www-form-urlencoded" ||
    contentType.includes("json")
  )
    return refuse(
      415,
      "Send the sign-in as a form (Content-Type: application/x-www-form-urlencoded) with email and password",
    );
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_SIGN_IN_BODY_BYTES)
    return refuse(413, `Sign-in body too large: at most ${MAX_SIGN_IN_BODY_BYTES} bytes`);
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_SIGN_IN_BODY_BYTES)
    return refuse(413, `Sign-in body too large: at most ${MAX_SIGN_IN_BODY_BYTES} bytes`);
  const form = new URLSearchParams(body);
  for (const field of ["email", "password", "csrfToken"])
    if (form.getAll(field).length > 1)
      return refuse(
        400,
        `Send one ${field} field in the sign-in form, not ${form.getAll(field).length}`,
      );
  const email = (form.get("email") ?? "").trim().toLowerCase().slice(0, MAX_EMAIL_IN_AUDIT);
  if (!email || !form.get("password"))
    return refuse(400, "Send the email and password fields in the sign-in form");
  return { body, email };
}

async function credentialsSignIn(
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
  segments: string[],
): Promise<Response> {
  const form = await readSignInForm(request, segments);
  if (form instanceof Response) return form;
  const { email } = form;
  // next-auth reads the same bytes the limiter read.
  request = new NextRequest(request.url, {
    method: request.method,
    headers: request.headers,
    body: form.body,
  });

  const database = await getDatabase();
  const address = clientAddress(request);
  const actor = `user:${email}`;
  const reservation = await reserveAttempt(database, { email, address });
  if (!reservation.ok) {
    await writeAudit(database.db, {
      actor,
      action: "sign_in.locked",
      entityType: "user",
      entityId: email,
      after: {
        address,
        scope: reservation.scope,
        retry_after_seconds: reservation.retryAfterSeconds,
      },
    });
    return Response.json(
      {
        success: false,
        message: lockoutMessage(reservation),
        retry_after_seconds: reservation.retryAfterSeconds,
      },
      {
        status: 429,
        headers: {
          "retry-after": String(reservation.retryAfterSeconds),
          "cache-control": "no-store",
        },
      },
    );
  }

  const response = await nextAuth(request, context);
  const signedIn = response.headers.getSetCookie().some((cookie) => SESSION_COOKIE.test(cookie));
  if (signedIn) {
    await releaseAfterSuccess(database, reservation);
    await writeAudit(database.db, {
      actor,
      action: "sign_in.success",
      entityType: "user",
      entityId: email,
      after: { via: "password", address },
    });
  } else {
    await writeAudit(database.db, {
      actor,
      action: "sign_in.failure",
      entityType: "user",
      entityId: email,
      after: { via: "password", address },
    });
  }
  return response;
}

const handler: Handler = async (request, context) => {
  const { nextauth } = await context.params;
  // Every path next-auth would treat as the credentials callback (it reads only the first two segments).
  if (
    request.method === "POST" &&
    nextauth[0]?.toLowerCase() === "callback" &&
    (nextauth[1] ?? "").toLowerCase().startsWith("credentials")
  )
    return credentialsSignIn(request, context, nextauth);
  return nextAuth(request, context);
};

export { handler as GET, handler as POST };
