// The scheduler loop: one per process and database, any number of processes on one PostgreSQL (decision 110).
// Each cycle runs every ticker (lib/server/scheduler/tickers.ts) until none finds due work, then sleeps until the
// earliest due time any ticker reports, at most `pollMs`. It wakes early on a NOTIFY on `scheduler_wake` (sent by
// wakeScheduler after a write that schedules or approves something; LISTEN on PostgreSQL, in process on PGlite).
// The database is the only coordination: tickers claim rows with FOR UPDATE SKIP LOCKED, so instances never
// repeat a step and a killed one loses none. Timers are unref'd: the loop never keeps a process alive.
import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { logError, ProcessWorkers, WakeLoop } from "@/lib/server/background/wake-loop";
import { now } from "@/lib/server/clock";
import {
  dueTimes as defaultDueTimes,
  tickers as defaultTickers,
  type DueTime,
  type Ticker,
} from "./tickers";

export const SCHEDULER_CHANNEL = "scheduler_wake";

export type SchedulerOptions = {
  /** The longest the loop sleeps without a notification (a lost NOTIFY, or work another instance scheduled). */
  pollMs?: number;
  tickers?: Ticker[];
  dueTimes?: DueTime[];
};

const DEFAULT_POLL_MS = 2_000;
/** Rounds of all tickers per cycle before yielding to the timer (a ticker that always finds work can't spin). */
const MAX_ROUNDS = 50;

export class Scheduler {
  private readonly pollMs: number;
  private readonly tickers: Ticker[];
  private readonly dueTimes: DueTime[];
  private readonly loop: WakeLoop;
  private failed = false;
  /** stop() was called: a cycle in progress ends after its current step. */
  private halting = false;

  constructor(
    private readonly database: Database,
    options: SchedulerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.tickers = options.tickers ?? defaultTickers;
    this.dueTimes = options.dueTimes ?? defaultDueTimes;
    this.loop = new WakeLoop({
      failure: "scheduler cycle failed",
      pollMs: this.pollMs,
      listen: (wake) =>
        database
          .listen(
            SCHEDULER_CHANNEL,
            wake,
            // Back after a lost connection: a NOTIFY may have been missed, look now.
            (up) => up && wake(),
          )
          .catch((error: unknown) => {
            logError("scheduler LISTEN failed", error);
            return () => {};
          }),
      run: async () => {
        await this.cycle();
        return this.nextWake();
      },
    });
  }

  start(): void {
    this.halting = false;
    this.loop.start();
  }

  /** Stops waking up and waits for the cycle in progress (its step commits or rolls back). */
  async stop(): Promise<void> {
    this.halting = true;
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Runs every ticker until a round finds nothing due; returns the steps done. A failing ticker doesn't stop the others. */
  async cycle(): Promise<number> {
    this.failed = false;
    let total = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.halting; round++) {
      let steps = 0;
      for (const ticker of this.tickers) {
        try {
          steps += await ticker(this.database, now());
        } catch (error) {
          this.failed = true;
          logError("scheduler step failed", error);
        }
      }
      total += steps;
      if (steps === 0) break;
    }
    return total;
  }

  /**
   * How long to sleep: until the earliest due time (a few ms after it), at most the poll interval. Work already due that this
   * cycle did not take is another instance's step in progress (skipped, locked): look again shortly. After a
   * failed step, wait for the poll (no tight loop on a step that keeps failing).
   */
  private async nextWake(): Promise<number> {
    if (this.failed) return this.pollMs;
    const at = now().getTime();
    let due = Infinity;
    for (const dueTime of this.dueTimes) {
      const next = await dueTime(this.database, now());
      if (next) due = Math.min(due, next.getTime() - at);
    }
    return due <= 0 ? 200 : due + 5;
  }
}

const schedulers = new ProcessWorkers<Scheduler>("__modelConsoleSchedulers");

/** Starts this process's scheduler for the database (once). */
export function startScheduler(database: Database, options?: SchedulerOptions): Scheduler {
  return schedulers.start(database, () => new Scheduler(database, options));
}

/**
 * After a write that scheduled or approved something has committed: wakes this process's scheduler now and every
 * other instance's through NOTIFY. A lost notification costs at most one poll interval.
 */
export async function wakeScheduler(database: Database): Promise<void> {
  schedulers.get(database)?.wake();
  try {
    await database.run(sql`select pg_notify(${SCHEDULER_CHANNEL}, '')`);
  } catch (error) {
    logError("scheduler NOTIFY failed", error);
  }
}
