// One per process and database. It follows the database's change notifications (LISTEN on PostgreSQL over one
// connection, in process on PGlite; the trigger in db/migrations/0004_machines_sql.sql sends them on commit) to keep
//  - each domain's current change cursor, trusted only while notifications are known to flow, so conditional and
//    cached reads can tell "nothing changed" without a query (docs/decisions/015-read-caches.md);
//  - the open change streams, fed with one query per wake-up per domain whatever the number of streams.
// The outbox table stays the truth: a stream always reads its rows from it, and a lost connection clears the cache.
import "server-only";
import type { Database } from "@/db/types";
import { fetchChanges, type FetchedChange } from "./read-changes";

const CHANGES_CHANNEL = "domain_changes";
const HEARTBEAT_MS = 15_000;
const FETCH_PAGE = 500;

export type Subscriber = {
  /** The last cursor this subscriber has received. */
  cursor: number;
  /**
   * Sends changes (all above `cursor`, in order). Subscribers at the same cursor are given the same array in one
   * wake-up: don't change it.
   */
  send: (changes: FetchedChange[]) => void;
  heartbeat: () => void;
  /** Ends the subscriber's stream (the hub is going away or the stream fell behind). */
  close: () => void;
};

type DomainFeed = {
  clientId: string;
  domainId: string;
  subscribers: Set<Subscriber>;
  running: boolean;
  dirty: boolean;
};

/** What a cached read saw before its query: it may record the version it read only if neither moved. */
type VersionToken = { epoch: number; gen: number };

const domainKey = (clientId: string, domainId: string) => `${clientId}/${domainId}`;

class ChangeHub {
  private readonly versions = new Map<string, number>();
  private readonly gens = new Map<string, number>();
  private epoch = 0;
  private listening = false;
  private starting: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private readonly feeds = new Map<string, DomainFeed>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly database: Database) {}

  /** Starts listening (once); a failure is logged and retried on the next call. */
  start(): Promise<void> {
    this.starting ??= this.database
      .listen(
        CHANGES_CHANNEL,
        (payload) => this.onNotify(payload),
        (up) => this.onState(up),
      )
      .then((stop) => {
        this.stopListening = stop;
        if (this.closed) void stop();
      })
      .catch((error: unknown) => {
        this.starting = null;
        console.error(
          JSON.stringify({
            level: "error",
            msg: "change feed LISTEN failed",
            error: String(error),
          }),
        );
      });
    return this.starting;
  }

  get isListening(): boolean {
    return this.listening;
  }

  private onState(up: boolean): void {
    // Notifications may have been missed: nothing cached survives a change of connection.
    this.epoch++;
    this.versions.clear();
    this.listening = up;
    if (up) {
      for (const feed of this.feeds.values()) this.wake(feed);
      this.notifyListeners();
    }
  }

  /** Calls `listener` after any domain's change commits (and after a reconnect); for the webhook dispatcher. */
  onChange(listener: () => void): () => void {
    void this.start();
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private notifyListeners(): void {
    for (const listener of this.changeListeners) listener();
  }

  private onNotify(payload: string): void {
    let parsed: { c?: unknown; d?: unknown; s?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.c !== "string" || typeof parsed.d !== "string") return;
    const key = domainKey(parsed.c, parsed.d);
    this.gens.set(key, (this.gens.get(key) ?? 0) + 1);
    const known = this.versions.get(key);
    const seq = Number(parsed.s);
    if (known !== undefined && Number.isFinite(seq)) this.versions.set(key, Math.max(known, seq));
    const feed = this.feeds.get(key);
    if (feed) this.wake(feed);
    this.notifyListeners();
  }

  // ---- domain versions, for the read caches ----

  /** The domain's latest change cursor if this process knows it for sure, else undefined (ask the database). */
  version(clientId: string, domainId: string): number | undefined {
    if (!this.listening) return undefined;
    return this.versions.get(domainKey(clientId, domainId));
  }

  token(clientId: string, domainId: string): VersionToken {
    return { epoch: this.epoch, gen: this.gens.get(domainKey(clientId, domainId)) ?? 0 };
  }

  /**
   * Records a version read from the database. Kept only if notifications flowed the whole time and none arrived
   * for the domain since `token` was taken: then no commit after the read's snapshot can have gone unnoticed.
   */
  noteVersion(clientId: string, domainId: string, version: number, token: VersionToken): void {
    const key = domainKey(clientId, domainId);
    if (!this.listening || token.epoch !== this.epoch || token.gen !== (this.gens.get(key) ?? 0))
      return;
    this.versions.set(key, Math.max(this.versions.get(key) ?? version, version));
  }

  /** After this process committed a write to the domain: the next read asks the database (read your writes). */
  forget(clientId: string, domainId: string): void {
    const key = domainKey(clientId, domainId);
    this.gens.set(key, (this.gens.get(key) ?? 0) + 1);
    this.versions.delete(key);
    const feed = this.feeds.get(key);
    if (feed) this.wake(feed);
  }

  /** Forgets every known domain version (the database changed without notifications). */
  reset(): void {
    this.epoch++;
    this.versions.clear();
  }

  // ---- change streams ----

  /** Registers a stream; it receives every change above its cursor, then each new one as it commits. */
  subscribe(clientId: string, domainId: string, subscriber: Subscriber): () => void {
    void this.start();
    const key = domainKey(clientId, domainId);
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = { clientId, domainId, subscribers: new Set(), running: false, dirty: false };
      this.feeds.set(key, feed);
    }
    feed.subscribers.add(subscriber);
    this.timer ??= setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref?.();
    this.wake(feed);
    const owner = feed;
    return () => {
      owner.subscribers.delete(subscriber);
      if (!owner.running) this.dropIfIdle(owner);
    };
  }

  /** Forgets a feed nobody follows any more (and the heartbeat timer with the last one). */
  private dropIfIdle(feed: DomainFeed): void {
    const key = domainKey(feed.clientId, feed.domainId);
    if (feed.subscribers.size === 0 && this.feeds.get(key) === feed) this.feeds.delete(key);
    if (this.feeds.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get streamCount(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.subscribers.size;
    return n;
  }

  private beat(): void {
    for (const feed of this.feeds.values()) {
      for (const subscriber of feed.subscribers) subscriber.heartbeat();
      // A safety net for a notification lost in transit: the outbox is read again anyway.
      this.wake(feed);
    }
  }

  /** Reads the domain's new changes once for all its streams; wake-ups during a read cause one more read. */
  private wake(feed: DomainFeed): void {
    if (feed.running) {
      feed.dirty = true;
      return;
    }
    feed.running = true;
    void this.drain(feed).finally(() => {
      feed.running = false;
      if (feed.subscribers.size === 0) this.dropIfIdle(feed);
      else if (feed.dirty) this.wake(feed);
    });
  }

  private async drain(feed: DomainFeed): Promise<void> {
    for (;;) {
      feed.dirty = false;
      if (feed.subscribers.size === 0) return;
      let from = Infinity;
      for (const s of feed.subscribers) from = Math.min(from, s.cursor);
      let rows: FetchedChange[];
      try {
        rows = await fetchChanges(this.database, {
          clientId: feed.clientId,
          domainId: feed.domainId,
          after: from,
          limit: FETCH_PAGE,
        });
      } catch (error) {
        console.error(
          JSON.stringify({ level: "error", msg: "change feed read failed", error: String(error) }),
        );
        // Retried at the next notification or heartbeat.
        return;
      }
      // The rows are in cursor order, so what is new to a subscriber is a tail of them; subscribers at the same
      // cursor (usually all of them) get the same array, so a stream can serialize it once for all of them.
      const tails = new Map<number, FetchedChange[]>();
      for (const subscriber of feed.subscribers) {
        const start = firstAfter(rows, subscriber.cursor);
        if (start === rows.length) continue;
        let fresh = tails.get(start);
        if (!fresh) tails.set(start, (fresh = start === 0 ? rows : rows.slice(start)));
        subscriber.cursor = fresh[fresh.length - 1]!.seq;
        subscriber.send(fresh);
      }
      if (rows.length < FETCH_PAGE && !feed.dirty) return;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const feed of this.feeds.values()) for (const s of feed.subscribers) s.close();
    this.feeds.clear();
    await this.stopListening?.();
  }
}

/** The index of the first row above `cursor` (rows in ascending cursor order); rows.length when there is none. */
function firstAfter(rows: readonly FetchedChange[], cursor: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.seq > cursor) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

type GlobalWithHubs = typeof globalThis & { __modelConsoleHubs?: WeakMap<Database, ChangeHub> };
const globalForHubs = globalThis as GlobalWithHubs;

/** The process's hub for this database, listening from the first call on. */
export function getHub(database: Database): ChangeHub {
  const hubs = (globalForHubs.__modelConsoleHubs ??= new WeakMap());
  let hub = hubs.get(database);
  if (!hub) {
    hub = new ChangeHub(database);
    hubs.set(database, hub);
    void hub.start();
  }
  return hub;
}
