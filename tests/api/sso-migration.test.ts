// The single sign-on identities migration opens a database made by the previous release: its people keep their
// rows, none is bound to an identity, and the people single sign-on created then (no password) are bound on their
// next verified sign-in while password accounts are not taken over.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite, openPostgres } from "@/db/client";
import { openDatabase } from "@/db/open";
import { users } from "@/db/schema";
import type { Database } from "@/db/types";
import { signInWithOidc, type OidcConfig } from "@/lib/server/auth/oidc";
import { createScratchPostgres, DRIVERS } from "../helpers/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEW_MIGRATION = "0010_sso-identities";

/** The migrations folder as the previous release shipped it: everything before this change's migration. */
function previousMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mac-previous-migrations-"));
  fs.cpSync(path.join(ROOT, "db", "migrations"), dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as {
    entries: { tag: string }[];
  };
  const at = journal.entries.findIndex((e) => e.tag === NEW_MIGRATION);
  expect(at).toBeGreaterThan(0);
  for (const entry of journal.entries.slice(at))
    fs.rmSync(path.join(dir, `${entry.tag}.sql`), { force: true });
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const CONFIG: OidcConfig = {
  issuer: "https://idp.example.test",
  clientId: "console",
  clientSecret: "secret",
  name: "IdP",
  scope: "openid",
  roleClaim: "groups",
  groupMap: null,
};

const LEGACY_PEOPLE = `
  insert into users (email, role, auth_source, password_hash) values
    ('sso-person@example.test', 'viewer', 'oidc', null),
    ('admin@localhost', 'admin', 'password', '$2b$11$abcdefghijklmnopqrstuu5pW0Cq6C7b0w1Q2vYy3L0Gv0b3q6Z1e')`;

async function previousReleaseDatabase(
  driver: (typeof DRIVERS)[number],
): Promise<{ open: () => Promise<Database>; drop: () => Promise<void> }> {
  const folder = previousMigrations();
  if (driver === "pglite") {
    const old = await openPglite("memory://");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(old.db as never, { migrationsFolder: folder });
    await old.query(LEGACY_PEOPLE);
    const client = (old.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir("none");
    await old.close();
    return {
      open: () => openDatabase({ dataDir: "memory://", loadDataDir: dump }),
      drop: async () => fs.rmSync(folder, { recursive: true, force: true }),
    };
  }
  const scratch = await createScratchPostgres();
  const old = await openPostgres(scratch.url, 2);
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  await migrate(old.db as never, { migrationsFolder: folder });
  await old.query(LEGACY_PEOPLE);
  await old.close();
  return {
    open: () => openDatabase({ url: scratch.url, poolSize: 2 }),
    drop: async () => {
      fs.rmSync(folder, { recursive: true, force: true });
      await scratch.drop();
    },
  };
}

describe.each(DRIVERS)("the single sign-on identities migration on %s", (driver) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("opens the previous release's database and binds its single sign-on people on their next sign-in", async () => {
    const previous = await previousReleaseDatabase(driver);
    cleanups.push(previous.drop);
    const database = await previous.open();
    cleanups.push(() => database.close());
    const rows = await database.db.select().from(users);
    expect(rows.map((r) => [r.email, r.ssoIssuer, r.ssoSubject, r.ssoLinkAllowed]).sort()).toEqual([
      ["admin@localhost", null, null, false],
      ["sso-person@example.test", null, null, false],
    ]);
    const signIn = (sub: string, email: string) =>
      signInWithOidc(database, {
        profile: {
          iss: CONFIG.issuer,
          sub,
          email,
          email_verified: true,
          groups: ["mac:viewer"],
        },
        config: CONFIG,
      });
    expect(await signIn("sub-a", "sso-person@example.test")).toMatchObject({ ok: true });
    expect(await signIn("sub-b", "admin@localhost")).toMatchObject({
      ok: false,
      code: "SsoPasswordAccount",
    });
    const [admin] = await database.db
      .select()
      .from(users)
      .where(eq(users.email, "admin@localhost"));
    expect(admin).toMatchObject({ role: "admin", ssoSubject: null });
    const [person] = await database.db
      .select()
      .from(users)
      .where(eq(users.email, "sso-person@example.test"));
    expect(person).toMatchObject({ ssoIssuer: CONFIG.issuer, ssoSubject: "sub-a" });
  });
});
