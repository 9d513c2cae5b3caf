// The databases earlier versions made (tests/upgrade/fixtures/<version>/, built from each version's commit by
// scripts/upgrade-fixtures/build.mjs), loaded into a fresh database of either driver, not yet opened by today's code.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import pg from "pg";
import { createScratchPostgres, type DriverName } from "../helpers/test-database";

export const FIXTURES_DIR = path.join(import.meta.dirname, "fixtures");

export type FixtureDriver = {
  /** The bearer token that version's `npm run token` printed (recorded from 0.2.0 on, not before). */
  token: string;
  /** That version's answers to GETs (url → body), after writing the sample data. */
  reads: Record<string, unknown>;
};
export type Fixture = {
  version: string;
  commit: string;
  /** The migrations that version had applied (its journal's tags). */
  migrations: string[];
  drivers: Record<DriverName, FixtureDriver>;
};

const parts = (version: string) => version.split(".").map(Number);
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Every fixture, oldest version first. */
export function fixtureVersions(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(compareVersions);
}

export function readFixture(version: string): Fixture {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, version, "fixture.json"), "utf8"),
  ) as Fixture;
}

/** The embedded database folder that version left, as a blob PGlite's loadDataDir takes. */
export function pgliteDataDir(version: string): Blob {
  return new Blob([
    zlib.brotliDecompressSync(fs.readFileSync(path.join(FIXTURES_DIR, version, "pglite.tar.br"))),
  ]);
}

/** A scratch PostgreSQL database restored from that version's dump. */
export async function restorePostgres(
  version: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const scratch = await createScratchPostgres();
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    await client.query(fs.readFileSync(path.join(FIXTURES_DIR, version, "postgres.sql"), "utf8"));
  } finally {
    await client.end();
  }
  return scratch;
}
