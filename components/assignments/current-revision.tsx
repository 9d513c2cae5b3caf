"use client";
// The revision a key runs now (or that it has none), with who made it and when.
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/date-time";
import type { Assignment } from "@/lib/browser/api-client/types";
import { ModelVersion } from "./model-version";
import { formatActor } from "@/lib/shared/format-actor";

function JsonSummary({ value }: { value: Record<string, unknown> }) {
  const keys = Object.keys(value);
  if (keys.length === 0) return <span className="text-fg-muted">none</span>;
  return (
    <code
      className="block max-h-24 overflow-auto font-mono text-xs break-all whitespace-pre-wrap"
      title={JSON.stringify(value, null, 2)}
    >
      {JSON.stringify(value)}
    </code>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-fg-muted uppercase">{label}</dt>
      <dd className="mt-0.5 text-sm">{children}</dd>
    </div>
  );
}

export function CurrentRevision({
  revision,
  title = "Active revision",
  emptyText,
  actions,
}: {
  revision: Assignment | null;
  title?: string;
  emptyText: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div role="region" aria-labelledby="current-revision-heading">
      <Card>
        <CardHeader
          id="current-revision-heading"
          title={
            <span className="flex items-center gap-2">
              {title}
              {revision ? (
                <Badge tone="ok">Revision {revision.revision} · active</Badge>
              ) : (
                <Badge>none</Badge>
              )}
            </span>
          }
          actions={actions}
        />
        <CardBody>
          {revision ? (
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-3 lg:grid-cols-6">
              <Item label="Model version">
                <ModelVersion modelId={revision.model_id} version={revision.model_version} />
              </Item>
              <Item label="Changed by">
                <span className="break-all">{formatActor(revision.created_by)}</span>
              </Item>
              <Item label="When">
                <RelativeTime iso={revision.created_at} />
              </Item>
              <Item label="Role">
                {revision.role ?? <span className="text-fg-muted">none</span>}
              </Item>
              <Item label="Settings">
                <JsonSummary value={revision.settings} />
              </Item>
              <Item label="Metadata">
                <JsonSummary value={revision.metadata} />
              </Item>
            </dl>
          ) : (
            <p className="text-sm text-fg-muted">{emptyText}</p>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
