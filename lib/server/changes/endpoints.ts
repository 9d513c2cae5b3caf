// GET …/changes: the JSON page, or with `Accept: text/event-stream` a live stream fed by the process's change hub
// (no database connection per stream: one LISTEN connection per process, one query per wake-up per domain).
import "server-only";
import { authenticate } from "@/lib/server/auth/authenticate";
import type { z } from "zod";
import type { Database } from "@/db/types";
import { canTouchClient, hasScope } from "@/lib/shared/scopes";
import { json, type RouteContext } from "@/lib/server/http/route";
import type { changesQuery } from "@/lib/schemas/changes";
import { getHub, type Subscriber } from "./hub";
import { acquireStreamLease } from "./stream-leases";
import {
  checkFeed,
  feedHead,
  listChanges,
  parseChangeCursor,
  type FetchedChange,
} from "./read-changes";

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(": heartbeat\n\n");
/** A stream whose reader has this much unread data is ended; the client reconnects with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

function wantsEventStream(request: Request): boolean {
  return (request.headers.get("accept") ?? "").toLowerCase().includes("text/event-stream");
}

// A change reaches every stream of its domain: its event is written once, not once per stream. The hub hands the
// streams at the same cursor one array (lib/server/changes/hub.ts), whose bytes are made once and enqueued on each
// (chunks are only read, never changed); a stream filtered by service makes its own array from the shared events.
const eventText = new WeakMap<FetchedChange, string>();
const batchBytes = new WeakMap<readonly FetchedChange[], Uint8Array>();

function frame(change: FetchedChange): string {
  let text = eventText.get(change);
  if (text === undefined) {
    const { item } = change;
    text = `id: ${item.cursor}\nevent: ${item.kind}\ndata: ${JSON.stringify(item)}\n\n`;
    eventText.set(change, text);
  }
  return text;
}

function frames(changes: readonly FetchedChange[]): Uint8Array {
  let bytes = batchBytes.get(changes);
  if (!bytes) {
    let text = "";
    for (const change of changes) text += frame(change);
    bytes = encoder.encode(text);
    batchBytes.set(changes, bytes);
  }
  return bytes;
}

/** The change feed of the domain: `query` is the request's, validated by the operation (changesQuery). */
export async function changesHandler(
  ctx: RouteContext,
  { clientId, domainId }: { clientId: string; domainId: string },
  query: z.infer<typeof changesQuery>,
  database: Database,
): Promise<Response> {
  if (!wantsEventStream(ctx.request)) {
    // `?after=latest`: no items, and next_cursor is the domain's latest cursor (where a live view starts).
    if (query.after?.trim() === "latest") {
      const head = await feedHead(database, { clientId, domainId });
      return json({ items: [], next_cursor: String(head) });
    }
    const after = parseChangeCursor(query.after, "after");
    return json(
      await listChanges(database, {
        clientId,
        domainId,
        after,
        limit: query.limit,
        serviceId: query.service_id,
      }),
    );
  }
  // A reconnecting EventSource sends the last id it received; it wins over the URL's `after`.
  const lastEventId = ctx.request.headers.get("last-event-id");
  const name = lastEventId !== null && lastEventId.trim() !== "" ? "Last-Event-ID" : "after";
  const after = parseChangeCursor(name === "after" ? query.after : lastEventId, name);
  await checkFeed(database, { clientId, domainId, after, name });
  const hub = getHub(database);
  // One of the credential's stream places (429 when all are taken), given back when the stream ends.
  const release = await acquireStreamLease(database, ctx.actor);

  // A stream outlives no credential: at every heartbeat the request's token or session is checked again as a new
  // request would be (revoked, expired, person disabled, signed out everywhere, role or clients changed).
  const stillAllowed = async (): Promise<boolean> => {
    try {
      const actor = await authenticate(ctx.request);
      return hasScope(actor, "assignments:read") && canTouchClient(actor, clientId);
    } catch {
      return false;
    }
  };

  let unsubscribe: (() => void) | null = null;
  let done = false;
  const signal = ctx.request.signal;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const finish = () => {
          if (done) return;
          done = true;
          unsubscribe?.();
          void release();
          signal.removeEventListener("abort", finish);
          try {
            controller.close();
          } catch {
            // already closed or errored
          }
        };
        const push = (bytes: Uint8Array) => {
          if (done) return;
          if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) return finish();
          try {
            controller.enqueue(bytes);
          } catch {
            finish();
          }
        };
        const subscriber: Subscriber = {
          cursor: after,
          send: (changes) => {
            // ?service_id=: only that service's changes (the hub moves the cursor past the others itself).
            const wanted =
              query.service_id === undefined
                ? changes
                : changes.filter((c) => c.item.service_id === query.service_id);
            if (wanted.length > 0) push(frames(wanted));
          },
          heartbeat: () => {
            void stillAllowed().then((ok) => (ok ? push(HEARTBEAT) : finish()));
          },
          close: finish,
        };
        // The retry hint, and a first comment so proxies and clients see the stream open at once.
        controller.enqueue(encoder.encode(`retry: 1000\n: connected after ${after}\n\n`));
        unsubscribe = hub.subscribe(clientId, domainId, subscriber);
        if (signal.aborted) finish();
        else signal.addEventListener("abort", finish);
      },
      cancel() {
        done = true;
        unsubscribe?.();
        void release();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
