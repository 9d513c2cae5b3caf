// `npm run fixtures:upgrade -- --version 0.2.0 [--commit SHA] [--rolling] [--database-url postgres://…]`
//
// The commit defaults to the release's in scripts/upgrade-fixtures/releases.json (the commits released versions
// were cut from; the repository has no tags). --rolling is for the release before today's (see rolling.json).
//
// Builds the migration-test fixtures of one earlier version from its commit: the databases that version made, on
// both drivers, with data written through its own code. Written to tests/upgrade/fixtures/<version>/:
//   pglite.tar.br   the embedded database folder (PGlite's dumpDataDir), Brotli-compressed (3x smaller than gzip)
//   postgres.sql    a plain pg_dump of the PostgreSQL database (INSERTs, no owners; psql meta-commands removed)
//   fixture.json    the version, commit, the token its `npm run token` printed, and its answers to some reads
//   rolling.json    with --rolling (the release before today's): what that version sends to PostgreSQL while it
//                   keeps running beside a new one (its CLI minting a token, its routes writing), recorded after
//                   the dump; tests/concurrency/rolling-upgrade.test.ts sends it to a database today's code migrated
//
// How: the commit's files are exported (git archive) into a temporary folder, which uses this checkout's
// node_modules when every dependency that version pins is installed here at that version (a symlink), or else
// gets its own (`npm ci` from its lock file), and
// there: its `npm run token` mints a machine token, and scripts/upgrade-fixtures/write-sample-data.ts (copied in)
// writes sample data through its route handlers and records what it answers. Then the databases are dumped and the
// temporary folder and scratch database removed. PostgreSQL: --database-url, else TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres (a scratch database is created there and dropped).
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
// The secret the test helpers sign with (tests/helpers/api.ts): the fixtures' tokens verify in the tests.
const AUTH_SECRET = "test-secret-test-secret-test-secret-0123456789";
const TOKEN_SCOPES = "assignments:read assignments:write services:read services:write models:read";

const { values } = parseArgs({
  options: {
    version: { type: "string" },
    commit: { type: "string" },
    "database-url": { type: "string" },
    rolling: { type: "boolean" },
  },
});
const RELEASES = JSON.parse(
  fs.readFileSync(path.join(ROOT, "scripts", "upgrade-fixtures", "releases.json"), "utf8"),
);
if (!values.version || !(values.commit ?? RELEASES[values.version])) {
  console.error(
    "usage: npm run fixtures:upgrade -- --version X.Y.Z [--commit SHA] [--rolling]\n" +
      `released versions: ${Object.keys(RELEASES).join(", ")} (scripts/upgrade-fixtures/releases.json)`,
  );
  process.exit(2);
}
const version = values.version;
const given = values.commit ?? RELEASES[version];
const commit = execFileSync("git", ["rev-parse", `${given}^{commit}`], { cwd: ROOT })
  .toString()
  .trim();
const baseUrl =
  values["database-url"] ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const OUT = path.join(ROOT, "tests", "upgrade", "fixtures", version);

const work = fs.mkdtempSync(path.join(os.tmpdir(), `mac-fixture-${version}-`));
const src = path.join(work, "src");

function log(message) {
  process.stderr.write(`fixture ${version}: ${message}\n`);
}

function run(args, env, input) {
  const hook = fs.existsSync(path.join(src, "scripts", "server-only-hook.mjs"))
    ? ["--import", "./scripts/server-only-hook.mjs"]
    : [];
  if (env.FIXTURE_RECORD) hook.push("--import", "./.fixture-record.mjs");
  const result = spawnSync(process.execPath, [TSX, ...hook, ...args], {
    cwd: src,
    env,
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(
      `${args.join(" ")} failed (${result.status}):\n${result.stderr}\n${result.stdout}`,
    );
  return result.stdout;
}

/** Mints a token with the version's own CLI, then writes the sample data with its own routes. */
function writeSampleData(env, sub = "fixture-deployer") {
  const jwt = run(
    ["scripts/token.ts", "--sub", sub, "--scope", TOKEN_SCOPES, "--client", "client-1"],
    env,
  ).trim();
  const out = run([".fixture-writer.ts"], { ...env, FIXTURE_TOKEN: jwt });
  const line = out.split("\n").find((l) => l.startsWith("FIXTURE-READS "));
  if (!line) throw new Error(`the writer printed no reads:\n${out}`);
  return { token: jwt, reads: JSON.parse(line.slice("FIXTURE-READS ".length)) };
}

/** The dependencies the version pins that this checkout's node_modules does not have at that version. */
function dependenciesNotInstalledHere() {
  const pkg = JSON.parse(fs.readFileSync(path.join(src, "package.json"), "utf8"));
  return Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).flatMap(([name, want]) => {
    try {
      const have = JSON.parse(
        fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8"),
      ).version;
      return have === want ? [] : [`${name} ${want}`];
    } catch {
      return [`${name} ${want}`];
    }
  });
}

function baseEnv() {
  const env = { ...process.env, AUTH_SECRET, SEED_DEMO: "true", NODE_ENV: "development" };
  for (const name of [
    "DATABASE_URL",
    "DATA_DIR",
    "AUTH_ISSUER",
    "AUDIENCE",
    "AUTH_AUDIENCE",
    "AUTH_JWKS_URL",
  ])
    delete env[name];
  return env;
}

async function buildPglite() {
  const dataDir = path.join(work, "data");
  const written = writeSampleData({ ...baseEnv(), DATA_DIR: dataDir });
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(path.join(dataDir, "pglite"));
  const tar = Buffer.from(await (await db.dumpDataDir("none")).arrayBuffer());
  await db.close();
  const dump = zlib.brotliCompressSync(tar, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
    },
  });
  fs.writeFileSync(path.join(OUT, "pglite.tar.br"), dump);
  log(`pglite.tar.br ${Math.round(dump.length / 1024)} kB`);
  return written;
}

async function buildPostgres() {
  const name = `mac_fixture_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  try {
    const written = writeSampleData({ ...baseEnv(), DATABASE_URL: url.toString() });
    const dump = execFileSync(
      "pg_dump",
      ["--no-owner", "--no-privileges", "--inserts", "--no-comments", url.toString()],
      { maxBuffer: 64 * 1024 * 1024 },
    ).toString("utf8");
    // psql meta-commands (\restrict, \unrestrict of newer pg_dump) are not SQL; the tests run the file as SQL.
    const sql = dump
      .split("\n")
      .filter((line) => !line.startsWith("\\"))
      .join("\n");
    fs.writeFileSync(path.join(OUT, "postgres.sql"), sql);
    log(`postgres.sql ${Math.round(sql.length / 1024)} kB`);
    if (values.rolling) {
      // The same version keeps serving while another instance is upgraded: its CLI mints a token and its
      // routes write again (phase "rolling" of the writer), every statement recorded.
      const record = path.join(work, "rolling.jsonl");
      const env = { ...baseEnv(), DATABASE_URL: url.toString(), FIXTURE_RECORD: record };
      const rolling = writeSampleData({ ...env, FIXTURE_PHASE: "rolling" }, "rolling-bot");
      const statements = fs
        .readFileSync(record, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      fs.writeFileSync(
        path.join(OUT, "rolling.json"),
        `${JSON.stringify({ token: rolling.token, reads: rolling.reads, statements }, null, 1)}\n`,
      );
      log(`rolling.json ${statements.length} statements`);
    }
    return written;
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

try {
  log(`exporting ${commit}`);
  fs.mkdirSync(src);
  execFileSync("sh", ["-c", `git archive ${commit} | tar -x -C "${src}"`], { cwd: ROOT });
  const differing = dependenciesNotInstalledHere();
  if (differing.length === 0) {
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(src, "node_modules"), "dir");
  } else {
    log(`npm ci (pins differ from this checkout: ${differing.join(", ")})`);
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: src, stdio: "inherit" });
  }
  fs.copyFileSync(
    path.join(ROOT, "scripts", "upgrade-fixtures", "write-sample-data.ts"),
    path.join(src, ".fixture-writer.ts"),
  );
  fs.copyFileSync(
    path.join(ROOT, "scripts", "upgrade-fixtures", "record-statements.mjs"),
    path.join(src, ".fixture-record.mjs"),
  );
  fs.mkdirSync(OUT, { recursive: true });
  const pglite = await buildPglite();
  const postgres = await buildPostgres();
  const migrations = JSON.parse(
    fs.readFileSync(path.join(src, "db", "migrations", "meta", "_journal.json"), "utf8"),
  ).entries.map((e) => e.tag);
  fs.writeFileSync(
    path.join(OUT, "fixture.json"),
    `${JSON.stringify({ version, commit, migrations, drivers: { pglite, postgres } }, null, 2)}\n`,
  );
  log(`written to ${path.relative(ROOT, OUT)}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
