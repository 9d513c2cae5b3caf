"use client";
// The live preview of a domain default change: which services move from what to what, which ones block it (with
// inputs for what they lack, blocking-fixes.tsx, loaded once a version is picked), and which ones the person has
// fixed so far.
import { useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LoadingState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { Preview } from "@/lib/browser/api-client/types";
import { formatCount, plural } from "@/lib/shared/format-count";
import { lazyModule } from "@/components/ui/lazy-module";
import type { BlockingFixesProps } from "./blocking-fixes";
import { BlockingHeading } from "./blocking-heading";
import { ModelVersion } from "./model-version";
import { useKeepFocus } from "./use-keep-focus";

type Ref = { model_id: string; model_version: string } | null;

const refLabel = (ref: Ref) => (ref ? `${ref.model_id}@${ref.model_version}` : "nothing");

function RefLabel({ value }: { value: Ref }) {
  return value ? (
    <ModelVersion modelId={value.model_id} version={value.model_version} />
  ) : (
    <span className="text-fg-muted">no assignment</span>
  );
}

/**
 * The fixing part of the page (blocking-fixes.tsx: the inputs per service, the groups, the CSV card). The editor
 * preloads it as soon as the person touches the form, so it is there by the time a preview of the version they
 * pick reports blocking services; otherwise it is fetched when a preview first reports something to fix.
 */
const blockingFixes = lazyModule(() => import("./blocking-fixes"));
export const preloadBlockingFixes = blockingFixes.preload;

export function ChangeImpact({
  ready,
  loading,
  updating,
  error,
  preview,
  ...fixing
}: {
  /** A model and version are picked (else there is nothing to preview). */
  ready: boolean;
  loading: boolean;
  /** What is shown is from a previous check; a new one is on its way. */
  updating: boolean;
  error: Error | null;
  preview: Preview | undefined;
} & BlockingFixesProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  useKeepFocus(bodyRef);
  const { blocking, fixes, saveRefusal, repairs } = fixing;
  const blockingIds = new Set(blocking.map((b) => b.service_id));
  // Nothing blocks, nothing was typed, nothing is pinned: the change is fine as it is.
  const nothingToFix =
    blocking.length === 0 && fixes.length === 0 && repairs.pins.length === 0 && !saveRefusal;
  const { module: fixesModule, failed } = blockingFixes.useModule(!nothingToFix);
  const BlockingFixes = fixesModule?.BlockingFixes ?? null;

  return (
    <Card>
      <CardHeader
        id="impact-heading"
        title={
          <span className="flex items-center gap-2">
            Impact on services
            {updating ? (
              <span className="inline-flex items-center gap-1 text-xs font-normal text-fg-muted">
                <span
                  aria-hidden
                  className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent"
                />
                checking…
              </span>
            ) : null}
          </span>
        }
        description="Checked against every service of the domain as you type; nothing is saved until you press Save."
      />
      <CardBody>
        <div ref={bodyRef} className="space-y-5">
          {!ready ? (
            <p className="text-sm text-fg-muted">
              Pick a model and a version to see which services it affects.
            </p>
          ) : error && !preview ? (
            <Alert tone="danger" role="alert" title="Could not check this change">
              {error.message}
            </Alert>
          ) : loading || !preview ? (
            <LoadingState label="Checking every service…" />
          ) : preview ? (
            <>
              {error ? (
                <Alert tone="danger" role="alert" title="The latest check failed">
                  {error.message}
                </Alert>
              ) : null}
              <BlastRadius preview={preview} blockingIds={blockingIds} />
              {nothingToFix ? (
                <section aria-labelledby="blocking-heading" className="space-y-3">
                  <BlockingHeading blocking={blocking} />
                  <Alert tone="ok" title="No blocking services">
                    Every service this change applies to is compatible.
                  </Alert>
                </section>
              ) : BlockingFixes ? (
                <BlockingFixes {...fixing} />
              ) : (
                <section aria-labelledby="blocking-heading" className="space-y-3">
                  <BlockingHeading blocking={blocking} />
                  {failed ? (
                    <Alert
                      tone="danger"
                      role="alert"
                      title="Could not load the blocking services: reload the page to try again"
                    >
                      {failed.message}
                    </Alert>
                  ) : (
                    <LoadingState label="Loading the blocking services…" />
                  )}
                </section>
              )}
            </>
          ) : null}
        </div>
      </CardBody>
    </Card>
  );
}

/** Which services move from what to what (grouped), with every affected service behind a disclosure. */
function BlastRadius({ preview, blockingIds }: { preview: Preview; blockingIds: Set<string> }) {
  const groups = new Map<string, { from: Ref; to: Ref; count: number }>();
  for (const c of preview.changes) {
    const id = `${refLabel(c.from)} → ${refLabel(c.to)}`;
    const group = groups.get(id) ?? { from: c.from, to: c.to, count: 0 };
    group.count += 1;
    groups.set(id, group);
  }
  const moving = [...groups.values()].filter((g) => refLabel(g.from) !== refLabel(g.to));
  const staying = [...groups.values()].filter((g) => refLabel(g.from) === refLabel(g.to));
  const movingCount = moving.reduce((n, g) => n + g.count, 0);
  return (
    <section aria-labelledby="blast-heading">
      <h3 id="blast-heading" className="text-sm font-semibold">
        {movingCount === 0
          ? "No service changes model version"
          : `${plural(movingCount, "service")} will change`}
      </h3>
      <ul className="mt-1 space-y-1 text-sm">
        {moving.map((g) => (
          <li
            key={`${refLabel(g.from)}>${refLabel(g.to)}`}
            className="flex flex-wrap items-center gap-2"
          >
            <Badge tone="accent">{g.count}</Badge>
            <RefLabel value={g.from} />
            <span aria-label="to">→</span>
            <RefLabel value={g.to} />
          </li>
        ))}
        {staying.map((g) => (
          <li key={`same-${refLabel(g.from)}`} className="text-fg-muted">
            {plural(g.count, "service")} already on <RefLabel value={g.from} />
          </li>
        ))}
        {preview.pinned.length > 0 ? (
          <li className="flex flex-wrap items-center gap-2">
            <Badge tone="neutral">{formatCount(preview.pinned.length)}</Badge>
            kept on their current version (pinned)
          </li>
        ) : null}
      </ul>
      {preview.changes.length > 0 ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-accent">
            Show every affected service ({preview.changes.length})
          </summary>
          <Table className="mt-2">
            <thead>
              <tr>
                <Th>Service</Th>
                <Th>Now</Th>
                <Th>After</Th>
                <Th>Compatible</Th>
              </tr>
            </thead>
            <tbody>
              {preview.changes.slice(0, 500).map((c) => (
                <Tr key={c.service_id}>
                  <Td className="font-mono">{c.service_id}</Td>
                  <Td>
                    <RefLabel value={c.from} />
                  </Td>
                  <Td>
                    <RefLabel value={c.to} />
                  </Td>
                  <Td>
                    {blockingIds.has(c.service_id) ? (
                      <Badge tone="danger">blocking</Badge>
                    ) : (
                      <Badge tone="ok">yes</Badge>
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {preview.changes.length > 500 ? (
            <p className="mt-1 text-fg-muted">Showing the first 500.</p>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}
