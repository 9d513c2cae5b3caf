// The webhook dispatcher: one per process, any number of processes on one PostgreSQL (PGlite: the same code in one
// process). Each cycle
//  1. enqueues: turns each webhook's new changes (per domain, above its cursor) into webhook_deliveries rows, in one
//     idempotent statement (unique (webhook, domain, seq); the cursor only moves forward), so instances racing on it
//     create every delivery exactly once;
//  2. claims due deliveries with FOR UPDATE SKIP LOCKED, each the lowest pending cursor of its (webhook, domain)
//     lane, and leases them (locked_until) so no other instance sends them meanwhile; a lane's next change waits
//     until the one before it has succeeded or been given up (commit order per domain);
//  3. sends them (signed, to the address checked against the SSRF rules at this moment) and records the outcome:
//     2xx succeeded; otherwise retried with exponential backoff and jitter until 24 h, then failed.
// It wakes on the change hub's notifications, after a manual retry, at the next due retry and on a slow poll.
// Timers are unref'd: the dispatcher never keeps a process alive; stop() ends it (graceful shutdown).
import "server-only";
import http from "node:http";
import https from "node:https";
import { and, eq, inArray, min, sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { changes, webhookDeliveries, webhooks } from "@/db/schema";
import { logError, ProcessWorkers, WakeLoop } from "@/lib/server/background/wake-loop";
import { getHub } from "@/lib/server/changes/hub";
import { toChangeItem } from "@/lib/server/changes/read-changes";
import { ENQUEUE_PER_LANE, prepareQueue } from "./queue";
import { decryptSecret, signature } from "./secret";
import { parseTarget, resolveTarget, TargetRefused } from "./target";

export type DispatcherOptions = {
  /** First retry delay; doubles per attempt (±20 % jitter) up to maxRetryMs. */
  retryBaseMs?: number;
  maxRetryMs?: number;
  /** Slow poll: the longest the dispatcher sleeps without a notification. */
  pollMs?: number;
  /** How long a claimed delivery is reserved for the instance sending it. */
  leaseMs?: number;
  /** Per request: connect, send and the answer's headers and first bytes. */
  timeoutMs?: number;
  /** Deliveries sent at once (one per lane). */
  batch?: number;
};

const DEFAULTS: Required<DispatcherOptions> = {
  retryBaseMs: 10_000,
  maxRetryMs: 60 * 60_000,
  pollMs: 5_000,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  batch: 20,
};

const EXCERPT_BYTES = 512;
const USER_AGENT = "model-console-webhooks/1";

type Outcome = { ok: boolean; code: number | null; error: string | null; excerpt: string | null };

export class WebhookDispatcher {
  private readonly options: Required<DispatcherOptions>;
  private readonly loop: WakeLoop;
  private readonly queue: ReturnType<typeof prepareQueue>;

  constructor(
    private readonly database: Database,
    options: DispatcherOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.queue = prepareQueue(database.db);
    this.loop = new WakeLoop({
      failure: "webhook dispatch failed",
      pollMs: this.options.pollMs,
      listen: (wake) => getHub(database).onChange(wake),
      run: async () => {
        // A failed cycle still sleeps only until the next due retry.
        await this.cycle().catch((error: unknown) => logError("webhook dispatch failed", error));
        return this.nextWake();
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops waking up and waits for the cycle in progress (its sends finish or time out). */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /**
   * How long to sleep: until the earliest future retry or lease end, or the slow poll. Rows that are due but wait for an
   * earlier change of their lane are not a reason to wake: whoever finishes that change claims them next.
   */
  private async nextWake(): Promise<number> {
    const d = webhookDeliveries;
    const ready = sql<Date>`greatest(${d.nextAttemptAt}, coalesce(${d.lockedUntil}, ${d.nextAttemptAt}))`;
    const [row] = await this.database.db
      .select({ at: min(ready) })
      .from(d)
      .where(and(eq(d.status, "pending"), sql`${ready} > now()`));
    const due = row?.at ? new Date(row.at).getTime() - Date.now() : Infinity;
    return Math.max(due, 10);
  }

  /** One pass: enqueue every new change, then send due deliveries until none is left. */
  async cycle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await this.queue.enqueue()) < ENQUEUE_PER_LANE) break;
    }
    const { leaseMs, batch } = this.options;
    while (!this.loop.stopped) {
      const claimed = await this.queue.claim({ leaseMs, batch });
      if (claimed.length === 0) return;
      await this.send(claimed);
    }
  }

  private async send(ids: string[]): Promise<void> {
    const d = webhookDeliveries;
    const rows = await this.database.db
      .select({
        delivery: d,
        url: webhooks.url,
        secretEncrypted: webhooks.secretEncrypted,
        change: changes,
      })
      .from(d)
      .innerJoin(webhooks, eq(webhooks.id, d.webhookId))
      .innerJoin(
        changes,
        and(
          eq(changes.clientId, d.clientId),
          eq(changes.domainId, d.domainId),
          eq(changes.seq, d.seq),
        ),
      )
      .where(inArray(d.id, ids));
    await Promise.all(
      rows.map(async ({ delivery, url, secretEncrypted, change }) => {
        const { item } = toChangeItem(change);
        const body = JSON.stringify({
          webhook_id: delivery.webhookId,
          delivery_id: delivery.id,
          client_id: delivery.clientId,
          domain_id: delivery.domainId,
          ...item,
        });
        const outcome = await this.attempt(delivery.id, url, secretEncrypted, body);
        await this.record(delivery, outcome);
      }),
    );
  }

  private async attempt(
    deliveryId: string,
    url: string,
    secretEncrypted: string,
    body: string,
  ): Promise<Outcome> {
    let secret: string;
    try {
      secret = decryptSecret(secretEncrypted);
    } catch {
      return fail(
        "The webhook's secret can't be decrypted (AUTH_SECRET changed since it was made): delete and re-create the webhook",
      );
    }
    try {
      const target = parseTarget(url);
      const { address, family } = await resolveTarget(target);
      const t = Math.floor(Date.now() / 1000);
      return await post(target.url, address, family, this.options.timeoutMs, body, {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-webhook-id": deliveryId,
        "x-signature": signature(secret, t, body),
      });
    } catch (error) {
      return fail(error instanceof TargetRefused ? error.message : String(error));
    }
  }

  private async record(
    delivery: typeof webhookDeliveries.$inferSelect,
    outcome: Outcome,
  ): Promise<void> {
    const common = {
      lockedUntil: null,
      responseCode: outcome.code,
      lastError: outcome.error,
      responseExcerpt: outcome.excerpt,
    };
    const where = eq(webhookDeliveries.id, delivery.id);
    if (outcome.ok) {
      await this.database.db
        .update(webhookDeliveries)
        .set({ ...common, status: "succeeded" })
        .where(where);
      return;
    }
    const { retryBaseMs, maxRetryMs } = this.options;
    const exponent = Math.min(Math.max(delivery.attempts - 1, 0), 30);
    const delay = Math.min(retryBaseMs * 2 ** exponent, maxRetryMs) * (0.8 + Math.random() * 0.4);
    await this.database.db
      .update(webhookDeliveries)
      .set({
        ...common,
        // Given up once the next try would come after give_up_at.
        status: sql`case when now() + ${Math.round(delay)} * interval '1 millisecond' > ${webhookDeliveries.giveUpAt} then 'failed' else 'pending' end`,
        nextAttemptAt: sql`now() + ${Math.round(delay)} * interval '1 millisecond'`,
      })
      .where(where);
  }
}

function fail(error: string): Outcome {
  return { ok: false, code: null, error: error.slice(0, 500), excerpt: null };
}

/** One POST to the checked address (the URL's host name still goes in Host and TLS SNI); no redirects followed. */
function post(
  url: URL,
  address: string,
  family: 4 | 6,
  timeoutMs: number,
  body: string,
  headers: Record<string, string>,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const transport = url.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = transport.request(
      url,
      {
        method: "POST",
        agent: false,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: (_host, options, callback) => {
          const cb = callback as unknown as (...args: unknown[]) => void;
          if ((options as { all?: boolean }).all) cb(null, [{ address, family }]);
          else cb(null, address, family);
        },
      },
      (response) => {
        const code = response.statusCode ?? null;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).toString("utf8").slice(0, EXCERPT_BYTES);
          const ok = code !== null && code >= 200 && code < 300;
          finish({
            ok,
            code,
            error: ok ? null : `The receiver answered HTTP ${code}`,
            excerpt: excerpt || null,
          });
          response.destroy();
        };
        response.on("data", (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) done();
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(fail(`No answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    timer.unref?.();
    request.on("error", (error) => finish(fail(`Could not deliver: ${error.message}`)));
    request.end(body);
  });
}

// The process's dispatchers, per database; scripts/server.mjs stops them from here on graceful shutdown.
const dispatchers = new ProcessWorkers<WebhookDispatcher>("__modelConsoleDispatchers");

/** Starts this process's dispatcher for the database (once). */
export function startWebhookDispatcher(
  database: Database,
  options?: DispatcherOptions,
): WebhookDispatcher {
  return dispatchers.start(database, () => new WebhookDispatcher(database, options));
}

/** Wakes this process's dispatcher (a delivery was re-queued here); other instances find it at their next poll. */
export function wakeDispatchers(database: Database): void {
  dispatchers.get(database)?.wake();
}
