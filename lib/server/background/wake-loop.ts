// The one wake/sleep loop behind the background workers (the scheduler, the webhook dispatcher). A cycle runs when
// woken (a notification, a timer or a call to wake()); a wake during a cycle runs another right after it; between
// cycles the loop sleeps for the delay the cycle returned, at most until the slow poll. Timers are unref'd: the loop
// never keeps a process alive; stop() unsubscribes, cancels the timer and waits for the cycle in progress.
import "server-only";
import type { Database } from "@/db/types";

/** Ends a subscription to wake-ups (a LISTEN, a hub listener). */
export type Unsubscribe = () => void | Promise<void>;

export type WakeLoopOptions = {
  /** What the error log says when a cycle throws, e.g. "scheduler cycle failed". */
  failure: string;
  /** The longest the loop sleeps without a wake-up; also the wait after a failed cycle. */
  pollMs: number;
  /** Subscribes to the wake-ups (called on start); returns how to unsubscribe, or a promise of it. */
  listen: (wake: () => void) => Unsubscribe | Promise<Unsubscribe>;
  /** One cycle of work; resolves to the milliseconds to sleep before the next one (capped at pollMs by the caller). */
  run: () => Promise<number>;
};

export class WakeLoop {
  private running = false;
  private dirty = false;
  private isStopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: Unsubscribe | null = null;
  private current: Promise<void> | null = null;

  constructor(private readonly options: WakeLoopOptions) {}

  /** Not started, or stop() was called: a cycle in progress should end after its current step. */
  get stopped(): boolean {
    return this.isStopped;
  }

  start(): void {
    if (!this.isStopped) return;
    this.isStopped = false;
    const subscribed = this.options.listen(() => this.wake());
    if (subscribed instanceof Promise) {
      void subscribed
        .then((unsubscribe) => {
          if (this.isStopped) void unsubscribe();
          else this.unsubscribe = unsubscribe;
        })
        .catch((error: unknown) => logError(`${this.options.failure}: subscribing`, error));
    } else {
      this.unsubscribe = subscribed;
    }
    this.wake();
  }

  /** Stops waking up and waits for the cycle in progress. */
  async stop(): Promise<void> {
    this.isStopped = true;
    this.clearTimer();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
    await this.current;
  }

  wake(): void {
    if (this.isStopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    this.dirty = false;
    this.clearTimer();
    this.current = this.options
      .run()
      .then((ms) => this.schedule(ms))
      .catch((error: unknown) => {
        logError(this.options.failure, error);
        this.schedule(this.options.pollMs);
      })
      .finally(() => {
        this.running = false;
        if (this.dirty && !this.isStopped) this.wake();
      });
  }

  private schedule(ms: number): void {
    if (this.isStopped) return;
    this.clearTimer();
    this.timer = setTimeout(() => this.wake(), Math.max(0, Math.min(this.options.pollMs, ms)));
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export function logError(msg: string, error: unknown): void {
  console.error(JSON.stringify({ level: "error", msg, error: String(error) }));
}

/**
 * This process's background workers of one kind, one per database, kept on globalThis under `key` (it survives module
 * reloads in development; scripts/server.mjs finds them there on graceful shutdown).
 */
export class ProcessWorkers<T extends { start(): void }> {
  constructor(private readonly key: `__modelConsole${string}`) {}

  private map(): WeakMap<Database, T> {
    const global = globalThis as Record<string, unknown>;
    return (global[this.key] ??= new WeakMap<Database, T>()) as WeakMap<Database, T>;
  }

  /** Starts this process's worker for the database (made once by `make`). */
  start(database: Database, make: () => T): T {
    const map = this.map();
    let worker = map.get(database);
    if (!worker) {
      worker = make();
      map.set(database, worker);
    }
    worker.start();
    return worker;
  }

  /** This process's worker for the database, if one was started. */
  get(database: Database): T | undefined {
    const map = (globalThis as Record<string, unknown>)[this.key] as
      WeakMap<Database, T> | undefined;
    return map?.get(database);
  }
}
