// The scheduler loop: one per process and database, any number of processes on one PostgreSQL (decision 110).
// Each cycle runs every ticker (lib/server/scheduler/tickers.ts) until none finds due work, then sleeps until the
// earliest due time any ticker reports, at most `pollMs`. It wakes early on a NOTIFY on `scheduler_wake` (sent by
// wakeScheduler after a write that schedules or approves something; LISTEN on PostgreSQL, in process on PGlite).
// The database is the only coordination: tickers claim rows with FOR UPDATE SKIP LOCKED, so instances never
// repeat a step and a killed one loses none. Timers are unref'd: the loop never keeps a process alive.
import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/types";
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
  private running = false;
  private failed = false;
  private dirty = false;
  private stopped = true;
  /** stop() was called: a cycle in progress ends after its current step. */
  private halting = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private current: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    options: SchedulerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.tickers = options.tickers ?? defaultTickers;
    this.dueTimes = options.dueTimes ?? defaultDueTimes;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halting = false;
    void this.database
      .listen(
        SCHEDULER_CHANNEL,
        () => this.wake(),
        // Back after a lost connection: a NOTIFY may have been missed, look now.
        (up) => up && this.wake(),
      )
      .then((stop) => {
        if (this.stopped) void stop();
        else this.stopListening = stop;
      })
      .catch((error: unknown) =>
        console.error(
          JSON.stringify({ level: "error", msg: "scheduler LISTEN failed", error: String(error) }),
        ),
      );
    this.wake();
  }

  /** Stops waking up and waits for the cycle in progress (its step commits or rolls back). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.stopListening?.();
    this.stopListening = null;
    await this.current;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = this.cycle()
      .then(() => this.nextWake())
      .catch((error: unknown) => {
        console.error(
          JSON.stringify({ level: "error", msg: "scheduler cycle failed", error: String(error) }),
        );
        this.schedule(this.pollMs);
      })
      .finally(() => {
        this.running = false;
        if (this.dirty && !this.stopped) this.wake();
      });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.max(0, ms));
    this.timer.unref?.();
  }

  /** Runs every ticker until a round finds nothing due; returns the steps done. A failing ticker doesn't stop the others. */
  async cycle(): Promise<number> {
    this.dirty = false;
    this.failed = false;
    let total = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.halting; round++) {
      let steps = 0;
      for (const ticker of this.tickers) {
        try {
          steps += await ticker(this.database, now());
        } catch (error) {
          this.failed = true;
          console.error(
            JSON.stringify({ level: "error", msg: "scheduler step failed", error: String(error) }),
          );
        }
      }
      total += steps;
      if (steps === 0) break;
    }
    return total;
  }

  /**
   * Sleeps until the earliest due time (a few ms after it), at most the poll interval. Work already due that this
   * cycle did not take is another instance's step in progress (skipped, locked): look again shortly. After a
   * failed step, wait for the poll (no tight loop on a step that keeps failing).
   */
  private async nextWake(): Promise<void> {
    if (this.failed) return this.schedule(this.pollMs);
    const at = now().getTime();
    let due = Infinity;
    for (const dueTime of this.dueTimes) {
      const next = await dueTime(this.database, now());
      if (next) due = Math.min(due, next.getTime() - at);
    }
    this.schedule(Math.min(this.pollMs, due <= 0 ? 200 : due + 5));
  }
}

type GlobalWithSchedulers = typeof globalThis & {
  __modelConsoleSchedulers?: WeakMap<Database, Scheduler>;
};
const globalForSchedulers = globalThis as GlobalWithSchedulers;

/** Starts this process's scheduler for the database (once). */
export function startScheduler(database: Database, options?: SchedulerOptions): Scheduler {
  const map = (globalForSchedulers.__modelConsoleSchedulers ??= new WeakMap());
  let scheduler = map.get(database);
  if (!scheduler) {
    scheduler = new Scheduler(database, options);
    map.set(database, scheduler);
  }
  scheduler.start();
  return scheduler;
}

/**
 * After a write that scheduled or approved something has committed: wakes this process's scheduler now and every
 * other instance's through NOTIFY. A lost notification costs at most one poll interval.
 */
export async function wakeScheduler(database: Database): Promise<void> {
  globalForSchedulers.__modelConsoleSchedulers?.get(database)?.wake();
  try {
    await database.run(sql`select pg_notify(${SCHEDULER_CHANNEL}, '')`);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "error", msg: "scheduler NOTIFY failed", error: String(error) }),
    );
  }
}
