// Sign-in protection kept in the database, so the limits hold across app instances sharing one PostgreSQL.
// Each password check first reserves a row in its account's and its address's bucket (under a transaction-level
// advisory lock per bucket, so concurrent tries on several instances can't all slip under the limit); a failed
// check keeps its rows, a successful one removes its own rows and clears the account's earlier failures.
// While a bucket is full, tries are refused (429) without checking the password and without adding rows, so a
// locked account unlocks 15 minutes after its 5th-newest failure whatever happens meanwhile.
import "server-only";
import { and, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/types";
import { signInAttempts } from "@/db/schema";

const WINDOW_MINUTES = 15;
const ACCOUNT_LIMIT = 5;
const ADDRESS_LIMIT = 50;

type Reservation = { ok: true; ids: number[]; bucket: string } | Lockout;
type Lockout = { ok: false; scope: "account" | "address"; retryAfterSeconds: number };

const windowStart = sql`now() - make_interval(mins => ${WINDOW_MINUTES})`;

const accountBucket = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressBucket = (address: string) => `address:${address}`;

/**
 * The caller's address for the per-address limit: the last X-Forwarded-For entry, which is the one the nearest
 * proxy appended (Next sets the header to the socket's address when no proxy did). Earlier entries can be sent
 * by the client, so they are ignored. Behind several proxies, they must overwrite rather than append.
 */
export function clientAddress(request: Request): string {
  const hops = request.headers.get("x-forwarded-for")?.split(",") ?? [];
  const last = hops[hops.length - 1]?.trim();
  return (last || request.headers.get("x-real-ip")?.trim() || "unknown").slice(0, 100);
}

/** Seconds until the bucket drops under its limit, or 0 when it is under it now. */
async function waitFor(tx: Tx, bucket: string, limit: number): Promise<number> {
  const rows = await tx
    .select({
      wait: sql<number>`ceil(extract(epoch from (${signInAttempts.at} + make_interval(mins => ${WINDOW_MINUTES}) - now())))::int`,
    })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.bucket, bucket), gt(signInAttempts.at, windowStart)))
    .orderBy(desc(signInAttempts.at))
    .limit(limit);
  return rows.length < limit ? 0 : Math.max(1, Number(rows[limit - 1]!.wait));
}

export async function reserveAttempt(
  database: Database,
  { email, address }: { email: string; address: string },
): Promise<Reservation> {
  const account = accountBucket(email);
  const from = addressBucket(address);
  return database.db.transaction(async (tx) => {
    // Account first, then address: every instance takes the locks in the same order.
    for (const bucket of [account, from])
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${bucket}, 0))`);
    const accountWait = await waitFor(tx, account, ACCOUNT_LIMIT);
    if (accountWait > 0) return { ok: false, scope: "account", retryAfterSeconds: accountWait };
    const addressWait = await waitFor(tx, from, ADDRESS_LIMIT);
    if (addressWait > 0) return { ok: false, scope: "address", retryAfterSeconds: addressWait };
    await tx
      .delete(signInAttempts)
      .where(
        and(inArray(signInAttempts.bucket, [account, from]), lt(signInAttempts.at, windowStart)),
      );
    const rows = await tx
      .insert(signInAttempts)
      .values([{ bucket: account }, { bucket: from }])
      .returning({ id: signInAttempts.id });
    return { ok: true, ids: rows.map((r) => r.id), bucket: account };
  });
}

/** After a successful check: the try doesn't count, and the account's earlier failures are forgiven. */
export async function releaseAfterSuccess(
  database: Database,
  reservation: { ids: number[]; bucket: string },
): Promise<void> {
  await database.db
    .delete(signInAttempts)
    .where(
      sql`${inArray(signInAttempts.id, reservation.ids)} or ${eq(signInAttempts.bucket, reservation.bucket)}`,
    );
}

export function lockoutMessage(lockout: Lockout): string {
  const minutes = Math.max(1, Math.ceil(lockout.retryAfterSeconds / 60));
  const when = `try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return lockout.scope === "account"
    ? `Too many failed attempts; ${when}.`
    : `Too many failed sign-in attempts from your network address; ${when}.`;
}
