// A small typed client for machines, generated from /v2/openapi.json (openapi-typescript types, openapi-fetch
// calls), plus a follower of a domain's change feed that reconnects with Last-Event-ID. Runs anywhere fetch does.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./api-schema";

export type { components, paths };
export type Change = components["schemas"]["Change"];
// JSON answers only: the change feed's event stream is read with followChanges.
export type ApiClient = Client<paths, "application/json">;

/** A client for one server and one bearer token: `client.GET("/v2/…", { params: { path, query } })`. */
export function createApiClient(options: {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}): ApiClient {
  return createClient<paths, "application/json">({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export type FollowOptions = {
  baseUrl: string;
  token: string;
  clientId: string;
  domainId: string;
  /** Start after this cursor ("0" or absent: from the start of the feed). */
  after?: string;
  signal?: AbortSignal;
  /** Wait before reconnecting after a dropped stream (ms). */
  retryMs?: number;
};

/**
 * Every change of the domain after `after`, in commit order, as it commits: an endless async iterator (end it
 * with the signal or by breaking out). A dropped connection is reopened with Last-Event-ID, so nothing is missed
 * and nothing repeats. Refusals (401, 403, 404, a bad cursor) end it with an error.
 */
export async function* followChanges(options: FollowOptions): AsyncGenerator<Change> {
  let cursor = options.after ?? "0";
  const url = `${options.baseUrl}/v2/clients/${encodeURIComponent(options.clientId)}/domains/${encodeURIComponent(options.domainId)}/changes`;
  while (!options.signal?.aborted) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: "text/event-stream",
          "last-event-id": cursor,
        },
        signal: options.signal,
      });
    } catch {
      if (options.signal?.aborted) return;
      await sleep(options.retryMs ?? 1000);
      continue;
    }
    if (response.status >= 400 && response.status < 500) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new Error(`change feed refused (${response.status}): ${body.message ?? ""}`);
    }
    if (!response.ok || !response.body) {
      await sleep(options.retryMs ?? 1000);
      continue;
    }
    try {
      for await (const event of readEvents(response.body)) {
        if (!event.data) continue;
        const change = JSON.parse(event.data) as Change;
        cursor = event.id || change.cursor;
        yield change;
      }
    } catch {
      if (options.signal?.aborted) return;
      await sleep(options.retryMs ?? 1000);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type SseEvent = { id: string; event: string; data: string };

/** Parses a text/event-stream body into events (comments and `retry:` skipped). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { id: "", event: "message", data: "" };
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line === "" || line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") data.push(value);
          else if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
        }
        if (data.length > 0) yield { ...event, data: data.join("\n") };
      }
    }
  } finally {
    // The consumer stopped early (or the stream failed): close the connection.
    await reader.cancel().catch(() => {});
  }
}
