// A database of its own for a bench run on a PostgreSQL cluster: the app's schema and demo seed (bench/pg-put.ts,
// bench/context-read.ts). Not for bench/bare-put-server.ts, which runs without the app's server-only modules.
import pg from "pg";
import { openDatabase } from "@/db/open";

/**
 * A new database on the cluster of `base` (a PostgreSQL URL), with the app's schema and demo seed, for a bench run of
 * its own: its URL, and `drop` to remove it after.
 */
export async function freshDemoDatabase(
  base: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const onCluster = async (sql: string) => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await onCluster(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const drop = () => onCluster(`drop database if exists ${name} with (force)`);
  try {
    const database = await openDatabase({ url: u.toString(), seedDemo: true, poolSize: 2 });
    await database.close();
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: u.toString(), drop };
}
