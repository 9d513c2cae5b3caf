// What the service page's report history shows: each key's changes of state newest first (from → to, when, who),
// and its loading and empty states.
import React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { keys } from "@/lib/browser/queries/keys";
import { syncHistoryByKey } from "@/lib/features/sync-history";
import { SyncHistory } from "./sync-history";

function render(data?: ReturnType<typeof syncHistoryByKey> | Error): string {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, retryOnMount: false } },
  });
  const queryKey = keys.services.syncHistory("client-1", "d", "svc-1");
  if (data instanceof Error)
    client.getQueryCache().build(client, { queryKey }).setState({ status: "error", error: data });
  else if (data) client.setQueryData(queryKey, data);
  return renderToStaticMarkup(
    React.createElement(
      QueryClientProvider,
      { client },
      React.createElement(SyncHistory, {
        clientId: "client-1",
        domainId: "d",
        serviceId: "svc-1",
        assignmentKeys: ["default"],
      }),
    ),
  );
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("the service page's report history", () => {
  it("lists each key's changes newest first: from → to, when, who reported", () => {
    const change = (cursor: number, key: string, from: string, to: string) => ({
      cursor: String(cursor),
      at: `2026-03-0${cursor}T10:00:00.000Z`,
      kind: "service",
      action: "sync_changed",
      assignment_key: key,
      service_id: "svc-1",
      actor: `reporter-${cursor}`,
      previous_sync: from as never,
      sync: to as never,
    });
    const html = render(
      syncHistoryByKey(
        [
          change(1, "default", "unknown", "synced"),
          change(2, "default", "synced", "contract_mismatch"),
          change(3, "ranking", "unknown", "failed"),
        ],
        "svc-1",
      ),
    );
    const shown = text(html);
    expect(shown).toContain("Changes of state");
    expect(shown).toMatch(
      /default Synced → Contract mismatch .* reported by reporter-2 Unknown → Synced .* reported by reporter-1 ranking Unknown → Failed .* reported by reporter-3/,
    );
    expect(html).toContain('dateTime="2026-03-02T10:00:00.000Z"');
  });

  it("says when it could not load, with the reason", () => {
    const shown = text(render(new Error("The database is not reachable")));
    expect(shown).toContain("Could not load the report history");
    expect(shown).toContain("The database is not reachable");
    expect(shown).toContain("Try again");
  });

  it("says when there is nothing yet, and while it loads", () => {
    expect(text(render(new Map()))).toContain("No changes of state yet");
    expect(text(render())).toContain("Loading the report history…");
  });
});
