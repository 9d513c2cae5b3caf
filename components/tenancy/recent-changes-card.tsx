"use client";
// The domain page's "Recent changes": the domain's last few changes, then each new one as it commits, from the
// change feed's event stream (EventSource with the session cookie; it reconnects with Last-Event-ID by itself).
// A new change also refreshes the page's cached assignments and services.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { v2, withQuery } from "@/lib/browser/api-client/api-fetch";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { Change } from "@/lib/browser/api-client/types";
import { keys } from "@/lib/browser/queries/keys";

const SHOWN = 10;

type State = "connecting" | "live" | "reconnecting" | "unavailable";

export function RecentChangesCard({ clientId, domainId }: { clientId: string; domainId: string }) {
  const queryClient = useQueryClient();
  const [changes, setChanges] = useState<Change[]>([]);
  const [state, setState] = useState<State>("connecting");

  useEffect(() => {
    let source: EventSource | null = null;
    let cancelled = false;
    // The event stream's URL (EventSource takes a string; the typed client answers JSON only).
    const feed = v2("clients", clientId, "domains", domainId, "changes");
    void (async () => {
      let head: number;
      try {
        const latest = dataOf(
          await api.GET("/v2/clients/{client_id}/domains/{domain_id}/changes", {
            params: {
              path: { client_id: clientId, domain_id: domainId },
              query: { after: "latest" },
            },
          }),
        );
        head = Number(latest.next_cursor);
      } catch {
        if (!cancelled) setState("unavailable");
        return;
      }
      if (cancelled) return;
      source = new EventSource(withQuery(feed, { after: Math.max(0, head - SHOWN) }));
      const onChange = (event: MessageEvent<string>) => {
        const change = JSON.parse(event.data) as Change;
        setChanges((old) =>
          old.some((c) => c.cursor === change.cursor) ? old : [change, ...old].slice(0, SHOWN),
        );
        if (Number(change.cursor) > head) {
          void queryClient.invalidateQueries({
            queryKey: keys.assignments.domain(clientId, domainId),
          });
          void queryClient.invalidateQueries({ queryKey: keys.services.all(clientId, domainId) });
        }
      };
      source.addEventListener("assignment", onChange);
      source.addEventListener("service", onChange);
      // A change request's step (scheduled, applied, failed…): the page's upcoming changes read again.
      source.addEventListener("change_request", () => {
        void queryClient.invalidateQueries({ queryKey: keys.changeRequests.all(clientId) });
      });
      source.onopen = () => setState("live");
      source.onerror = () =>
        setState(source?.readyState === EventSource.CLOSED ? "unavailable" : "reconnecting");
    })();
    return () => {
      cancelled = true;
      source?.close();
    };
  }, [clientId, domainId, queryClient]);

  return (
    <Card>
      <CardHeader
        id="recent-changes-heading"
        title="Recent changes"
        description="The latest assignment and service changes in this domain; new ones appear as they are made."
        actions={
          <Badge
            tone={state === "live" ? "ok" : state === "unavailable" ? "danger" : "warn"}
            className="whitespace-nowrap"
          >
            {state === "live"
              ? "Live"
              : state === "connecting"
                ? "Connecting…"
                : state === "reconnecting"
                  ? "Reconnecting…"
                  : "Not live: reload the page"}
          </Badge>
        }
      />
      {changes.length === 0 ? (
        <p className="px-4 py-3 text-sm text-fg-muted">
          {state === "live" ? "No changes yet." : "Waiting for the change feed…"}
        </p>
      ) : (
        <div role="log" aria-labelledby="recent-changes-heading">
          <ol className="divide-y divide-border">
            {changes.map((c) => (
              <li
                key={c.cursor}
                className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2 text-sm"
              >
                <span className="font-mono text-xs text-fg-muted">#{c.cursor}</span>
                <Badge tone={c.kind === "assignment" ? "accent" : "neutral"}>{c.kind}</Badge>
                <span className="font-medium">{c.action}</span>
                <span>
                  {c.kind === "assignment" ? (
                    <>
                      <span className="font-mono">{c.assignment_key}</span>{" "}
                      {c.service_id ? (
                        <>
                          for service <span className="font-mono">{c.service_id}</span>
                        </>
                      ) : (
                        "domain default"
                      )}
                    </>
                  ) : (
                    <>
                      service <span className="font-mono">{c.service_id}</span>
                    </>
                  )}
                </span>
                <span className="text-fg-muted">by {c.actor}</span>
                <DateTime value={c.at} className="ml-auto text-xs text-fg-muted" />
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
  );
}
