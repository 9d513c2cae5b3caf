// One LISTEN connection per process and PostgreSQL database, whatever the number of channels
// (docs/decisions/133-one-listen-connection.md). PostgreSQL wakes every backend that listens in the database on
// every committed NOTIFY, whatever its channel: with a connection per channel, the scheduler's connection woke for
// every change of every domain only to find nothing for it.
import "server-only";
import type { Client as PgClient } from "pg";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** What operators see for this connection in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = "model-console listen";

type Subscription = {
  channel: string;
  onNotify: (payload: string) => void;
  onState: (listening: boolean) => void;
};

export type SharedListener = {
  /**
   * LISTENs on `channel` (on the shared connection, opened if none is): resolves once listening, with a function
   * that stops (`onState(false)` is called then, as after a lost connection). Rejects if the connection can't be
   * opened or the LISTEN fails: nothing is left subscribed.
   */
  listen: (
    channel: string,
    onNotify: (payload: string) => void,
    onState: (listening: boolean) => void,
  ) => Promise<() => Promise<void>>;
  /** Stops every subscription and closes the connection. */
  close: () => Promise<void>;
};

export function sharedListener(Client: typeof PgClient, url: string): SharedListener {
  const subscriptions = new Set<Subscription>();
  let client: InstanceType<typeof PgClient> | null = null;
  /** The channels LISTENed on `client`. */
  let listened = new Set<string>();
  let reconnecting = false;
  let closed = false;
  // Subscribing, unsubscribing and reconnecting run one at a time, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const done = chain.then(work);
    chain = done.catch(() => {});
    return done;
  };

  const wanted = () => new Set([...subscriptions].map((s) => s.channel));

  /** Opens the connection and LISTENs on `channels`; sets `client` only once all of it worked. */
  const open = async (channels: Set<string>): Promise<void> => {
    const next = new Client({ connectionString: url, application_name: LISTEN_APPLICATION_NAME });
    // A network error ends the client ("end" below); it must not crash the process.
    next.on("error", () => {});
    next.on("notification", (message) => {
      if (client !== next || !message.payload) return;
      for (const s of subscriptions) if (s.channel === message.channel) s.onNotify(message.payload);
    });
    try {
      await next.connect();
      if (channels.size > 0) await next.query([...channels].map((c) => `listen ${c}`).join("; "));
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    next.once("end", () => {
      if (client !== next) return;
      client = null;
      listened = new Set();
      for (const s of subscriptions) s.onState(false);
      if (subscriptions.size > 0) void reconnect();
    });
    client = next;
    listened = channels;
  };

  const reconnect = async (): Promise<void> => {
    if (reconnecting) return;
    reconnecting = true;
    try {
      for (let delay = 250; !closed && subscriptions.size > 0; delay = Math.min(delay * 2, 5_000)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        try {
          const up = await serial(async () => {
            if (client || closed || subscriptions.size === 0) return true;
            await open(wanted());
            for (const s of subscriptions) s.onState(true);
            return true;
          });
          if (up) return;
        } catch (error) {
          console.error(
            JSON.stringify({
              level: "error",
              msg: "LISTEN reconnect failed",
              error: String(error),
            }),
          );
        }
      }
    } finally {
      reconnecting = false;
    }
  };

  const stop = (subscription: Subscription) =>
    serial(async () => {
      if (!subscriptions.delete(subscription)) return;
      subscription.onState(false);
      const current = client;
      if (!current) return;
      if (subscriptions.size === 0) {
        client = null;
        listened = new Set();
        await current.end().catch(() => {});
      } else if (!wanted().has(subscription.channel)) {
        listened.delete(subscription.channel);
        // A failure here means the connection is gone: its "end" handler reconnects with the channels wanted.
        await current.query(`unlisten ${subscription.channel}`).catch(() => {});
      }
    });

  return {
    listen: (channel, onNotify, onState) => {
      if (!IDENTIFIER.test(channel))
        return Promise.reject(new Error(`not a channel name: ${channel}`));
      const subscription: Subscription = { channel, onNotify, onState };
      return serial(async () => {
        if (closed) throw new Error("the database is closed");
        if (!client) {
          // No connection (the first subscription, or one lost and not yet back): open it now for every channel.
          await open(new Set([...wanted(), channel]));
          for (const s of subscriptions) s.onState(true);
        } else if (!listened.has(channel)) {
          await client.query(`listen ${channel}`);
          listened.add(channel);
        }
        subscriptions.add(subscription);
        onState(true);
        return () => stop(subscription);
      });
    },
    close: () =>
      serial(async () => {
        closed = true;
        const current = client;
        client = null;
        listened = new Set();
        const all = [...subscriptions];
        subscriptions.clear();
        for (const s of all) s.onState(false);
        await current?.end().catch(() => {});
      }),
  };
}
