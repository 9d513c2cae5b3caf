// `npm run bench:passwords`: what a password check costs and whether it blocks the event loop, native `bcrypt`
// (used) against pure-JS `bcryptjs` (used before), and whether a failed sign-in takes the same time for an
// unknown email as for a known one (verifyCredentials on an in-memory PGlite).
//
// Settings: BENCH_ROUNDS=20 (checks per case), BENCH_CONCURRENT=4 (checks in flight for the event-loop case).
import { monitorEventLoopDelay } from "node:perf_hooks";
import bcrypt from "bcrypt";
import bcryptjs from "bcryptjs";
import { openDatabase } from "@/db/open";
import { createUser, verifyCredentials } from "@/lib/server/users/users";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 4);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function timeEach(fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** Max and p99 event-loop delay while CONCURRENT checks run, as a 1 ms timer would see it. */
async function loopDelay(
  fn: () => Promise<unknown>,
): Promise<{ max: number; p99: number; total: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const start = performance.now();
  for (let i = 0; i < Math.max(1, ROUNDS / CONCURRENT); i++)
    await Promise.all(Array.from({ length: CONCURRENT }, fn));
  const total = performance.now() - start;
  histogram.disable();
  return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6, total };
}

async function main(): Promise<void> {
  const password = "a password of twenty";
  const hash = await bcrypt.hash(password, 11);
  console.log(
    `bcrypt cost 11, ${ROUNDS} rounds, ${CONCURRENT} concurrent for the event-loop case\n`,
  );
  for (const [name, compare] of [
    ["native bcrypt", () => bcrypt.compare("wrong password here", hash)],
    ["bcryptjs", () => bcryptjs.compare("wrong password here", hash)],
  ] as const) {
    const times = await timeEach(compare);
    const loop = await loopDelay(compare);
    console.log(
      `${name.padEnd(14)} one check: median ${ms(median(times))}; while ${CONCURRENT} run at once: ` +
        `event-loop delay max ${ms(loop.max)}, p99 ${ms(loop.p99)}; ${Math.round(ROUNDS / CONCURRENT) * CONCURRENT} checks in ${ms(loop.total)}`,
    );
  }

  const database = await openDatabase({ dataDir: "memory://", seedDemo: false });
  try {
    await createUser(database, { body: { email: "known@example.test", role: "viewer", password } });
    // Warm up the dummy hash and the statement.
    await verifyCredentials(database, { email: "nobody@example.test", password: "x" });
    const known = await timeEach(() =>
      verifyCredentials(database, { email: "known@example.test", password: "wrong password here" }),
    );
    const unknown = await timeEach(() =>
      verifyCredentials(database, {
        email: "nobody@example.test",
        password: "wrong password here",
      }),
    );
    console.log(
      `\nfailed sign-in, known email:   median ${ms(median(known))}\n` +
        `failed sign-in, unknown email: median ${ms(median(unknown))} ` +
        `(difference ${ms(Math.abs(median(known) - median(unknown)))})`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
