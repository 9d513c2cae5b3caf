// One socket write per pipelined round trip (docs/decisions/132-one-write-per-round-trip.md). Not server-only: the
// bare server of `npm run bench:bare-put` (which runs without the app's server-only modules) sends its round trips
// the same way through it.
import type { PoolClient } from "pg";

/**
 * Runs `send`, which submits a round trip's pipelined statements synchronously, with the connection's socket
 * corked, so they leave in one write: node-postgres writes each statement as soon as it is submitted, so BEGIN,
 * the locks and the read went out as three writes, each a system call and a wake-up of the PostgreSQL backend,
 * which then answered them one by one.
 */
export function corked<T>(client: PoolClient, send: () => T): T {
  const stream = client.connection.stream;
  stream.cork();
  try {
    return send();
  } finally {
    stream.uncork();
  }
}
