// /api/auth/*: next-auth's sign-in, sign-out and session endpoints for the console.
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/next-auth-options";

type Handler = (
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
) => Promise<Response>;

const handler: Handler = (request, context) =>
  (NextAuth(getAuthOptions()) as unknown as Handler)(request, context);

export { handler as GET, handler as POST };
