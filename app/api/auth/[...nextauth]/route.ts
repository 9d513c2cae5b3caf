// /api/auth/*: next-auth's sign-in, sign-out and session endpoints for the console. A password sign-in first
// passes the database-kept limits (lib/server/auth/sign-in-limits.ts): a locked account or address gets 429 with
// Retry-After before next-auth or bcrypt run; every password sign-in's outcome is written to the audit log.
import NextAuth from "next-auth";
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

async function credentialsSignIn(
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
): Promise<Response> {
  let email = "";
  try {
    const form = await request.clone().formData();
    const raw = form.get("email");
    email = typeof raw === "string" ? raw.trim().toLowerCase().slice(0, MAX_EMAIL_IN_AUDIT) : "";
  } catch {
    // Not a form: next-auth answers it as a failed sign-in.
  }
  if (!email) return nextAuth(request, context);

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
  if (request.method === "POST" && nextauth.join("/") === "callback/credentials")
    return credentialsSignIn(request, context);
  return nextAuth(request, context);
};

export { handler as GET, handler as POST };
