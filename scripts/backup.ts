// `npm run backup -- --out FILE [--force]` · `npm run restore -- --in FILE [--force]`
// Backs up or restores the embedded database (the PGlite folder in DATA_DIR) as one gzipped tarball made by
// PGlite's dumpDataDir. Both take the folder's lock, so they refuse while a server runs on it (stop it first: a
// consistent copy needs the database closed). With DATABASE_URL set they print pg_dump/pg_restore guidance instead.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { acquireDataDirLock, DataDirLockedError } from "@/db/client";
import { openDatabase } from "@/db/open";
import { writeAudit } from "@/lib/server/audit/write-audit";
import { getEnv } from "@/lib/server/env";
import { osUserName } from "./operator";

const USAGE =
  "usage: npm run backup -- --out FILE [--force]     (DATA_DIR selects the embedded database, default ./.data)\n" +
  "       npm run restore -- --in FILE [--force]     (--force replaces an existing database, kept aside)\n";

class UsageError extends Error {}

const POSTGRES_GUIDANCE = `DATABASE_URL is set: this database is PostgreSQL, which has its own tools.
  back up:  pg_dump --format=custom --file=model-console.dump "$DATABASE_URL"
  restore:  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" model-console.dump
  (into an empty database: createdb first, then pg_restore --no-owner --dbname=…; start the app afterwards,
  it applies any newer migrations.) Nothing was done.`;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function backup(dataDir: string, out: string, force: boolean): Promise<string> {
  const dir = path.resolve(dataDir);
  const pgdata = path.join(dir, "pglite");
  if (!fs.existsSync(path.join(pgdata, "PG_VERSION")))
    throw new UsageError(`There is no embedded database in DATA_DIR "${dir}" to back up.`);
  const target = path.resolve(out);
  if (fs.existsSync(target) && !force)
    throw new UsageError(
      `${target} already exists: pick another --out, or add --force to replace it.`,
    );
  const release = acquireDataDirLock(dir);
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const pg = await PGlite.create(pgdata);
    let dump: Blob;
    try {
      dump = await pg.dumpDataDir("gzip");
    } finally {
      await pg.close();
    }
    // Written next to the target and renamed into place: a crash never leaves half a backup under its name.
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    // The backup holds password hashes and the audit log: readable by its owner only.
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, target);
    return `Backed up the embedded database in ${dir} to ${target} (${mib(dump.size)}).`;
  } finally {
    release();
  }
}

async function restore(dataDir: string, input: string, force: boolean): Promise<string> {
  const dir = path.resolve(dataDir);
  const source = path.resolve(input);
  if (!fs.existsSync(source)) throw new UsageError(`${source} does not exist.`);
  fs.mkdirSync(dir, { recursive: true });
  const pgdata = path.join(dir, "pglite");
  const exists = fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0;
  if (exists && !force)
    throw new UsageError(
      `DATA_DIR "${dir}" already holds a database: restore into an empty DATA_DIR, or add --force to replace it (the current one is kept aside).`,
    );
  let aside = "";
  const release = acquireDataDirLock(dir);
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const staging = path.join(dir, "pglite.restoring");
    fs.rmSync(staging, { recursive: true, force: true });
    const blob = new Blob([fs.readFileSync(source)]);
    try {
      const pg = await PGlite.create(staging, { loadDataDir: blob });
      try {
        // A real check that the restored cluster opens and holds this app's schema.
        await pg.query("select count(*) from drizzle.__drizzle_migrations");
      } finally {
        await pg.close();
      }
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new UsageError(
        `${source} is not a backup of this app's embedded database (${(error as Error).message}). Nothing was changed.`,
      );
    }
    if (exists) {
      aside = path.join(
        dir,
        `pglite.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`,
      );
      fs.renameSync(pgdata, aside);
    } else {
      fs.rmSync(pgdata, { recursive: true, force: true });
    }
    fs.renameSync(staging, pgdata);
  } finally {
    release();
  }
  const restored =
    `Restored ${source} into ${dir}.` +
    (aside
      ? ` The database it replaced is kept in ${aside} (delete it when no longer needed).`
      : "");
  // The restored database's own audit log records the restore (after its migrations, as the server would run them).
  try {
    const database = await openDatabase({ dataDir: dir, seedDemo: false });
    try {
      await writeAudit(database.db, {
        actor: `cli:${osUserName()}`,
        action: "backup.restore",
        entityType: "database",
        entityId: path.basename(source),
        after: { file: source, bytes: fs.statSync(source).size, replaced_kept_in: aside || null },
      });
    } finally {
      await database.close();
    }
  } catch (error) {
    return `${restored}\nThe restore could not be recorded in its audit log: ${(error as Error).message}`;
  }
  return restored;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  let values: { out?: string; in?: string; force?: boolean };
  try {
    values = parseArgs({
      args: rest,
      options: {
        out: { type: "string" },
        in: { type: "string" },
        force: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const env = getEnv();
  if (env.DATABASE_URL) {
    process.stdout.write(`${POSTGRES_GUIDANCE}\n`);
    process.exit(1);
  }
  if (command === "backup") {
    if (!values.out) throw new UsageError("backup needs --out FILE");
    console.log(await backup(env.DATA_DIR, values.out, values.force ?? false));
  } else if (command === "restore") {
    if (!values.in) throw new UsageError("restore needs --in FILE");
    console.log(await restore(env.DATA_DIR, values.in, values.force ?? false));
  } else {
    throw new UsageError(`unknown command "${command ?? ""}"`);
  }
}

main().catch((error) => {
  if (error instanceof UsageError || error instanceof DataDirLockedError) {
    process.stderr.write(`${process.argv[2] ?? "backup"}: ${error.message}\n`);
    if (error instanceof UsageError) process.stderr.write(USAGE);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
