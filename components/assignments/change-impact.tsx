"use client";
// The live preview of a domain default change: which services move from what to what, which ones block it (with
// inputs for what they lack), and which ones the person has fixed so far.
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LoadingState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { BlockingService, Preview } from "@/lib/browser/api-client/types";
import { BlockerGroupsView, PinnedSection } from "./blocker-groups-view";
import { BlockersCsvCard } from "./blockers-csv-card";
import { formatCount } from "./blocker-groups";
import { ModelVersion } from "./model-version";
import { ServiceFixer } from "./service-fixer";
import type { FixValue, ServiceFix } from "./service-repairs";
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

const PAGE = 50;
/** Beyond this many services to fix, they are shown grouped by problem instead of one form each. */
export const GROUP_ABOVE = 20;

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

export function ChangeImpact({
  ready,
  loading,
  updating,
  error,
  preview,
  blocking,
  fixes,
  saveRefusal,
  showErrors,
  serviceHref,
  onFixChange,
  onFillGroup,
  onUndoFix,
  pins,
  onPin,
  onUnpin,
  csv,
}: {
  /** A model and version are picked (else there is nothing to preview). */
  ready: boolean;
  loading: boolean;
  /** What is shown is from a previous check; a new one is on its way. */
  updating: boolean;
  error: Error | null;
  preview: Preview | undefined;
  blocking: BlockingService[];
  fixes: ServiceFix[];
  /** The server's message when it refused the last save because of these services. */
  saveRefusal: string | null;
  showErrors: boolean;
  serviceHref: (serviceId: string) => string;
  onFixChange: (serviceId: string, key: string, value: FixValue) => void;
  onFillGroup: (serviceIds: readonly string[], key: string, value: FixValue) => void;
  onUndoFix: (serviceId: string, key: string) => void;
  /** The services kept on the version they run now (pin_services). */
  pins: readonly string[];
  onPin: (serviceIds: readonly string[]) => void;
  onUnpin: (serviceIds: readonly string[]) => void;
  /** What the CSV export and import need; absent until the version's contract is read. */
  csv: Omit<Parameters<typeof BlockersCsvCard>[0], "fixes"> | null;
}) {
  // How many blocking services are listed; kept while the preview reloads.
  const [shown, setShown] = useState(PAGE);
  const bodyRef = useRef<HTMLDivElement>(null);
  useKeepFocus(bodyRef);
  const blockingIds = new Set(blocking.map((b) => b.service_id));
  const pinned = new Set(pins);
  // A pinned service stays where it is: it is not fixed, and not shown among the ones to fix.
  const toFix = fixes.filter((f) => !pinned.has(f.serviceId));
  const grouped = toFix.length > GROUP_ABOVE;
  const fixed = toFix.filter(
    (f) => !blockingIds.has(f.serviceId) && Object.keys(f.staticFeatures).length > 0,
  );
  const fixerProps = { showErrors, serviceHref, onChange: onFixChange };

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
              {grouped ? (
                <section aria-labelledby="blocking-heading" className="space-y-3">
                  <BlockingHeading blocking={blocking} />
                  {saveRefusal ? (
                    <Alert tone="danger" role="alert" title="The server refused to save">
                      {saveRefusal}
                    </Alert>
                  ) : null}
                  <p className="text-sm text-fg-muted">
                    {formatCount(toFix.length)} services need features for this version, grouped by
                    what they lack. Fill one value for a group, or per service; what you fill is
                    saved on each service together with this change.
                  </p>
                  <BlockerGroupsView
                    fixes={toFix}
                    onFixChange={onFixChange}
                    onFillGroup={onFillGroup}
                    onUndoFix={onUndoFix}
                  />
                </section>
              ) : (
                <BlockingSection
                  blocking={blocking}
                  fixes={toFix}
                  fixedCount={fixed.length}
                  saveRefusal={saveRefusal}
                  fixerProps={fixerProps}
                  shown={shown}
                  onShowMore={() => setShown((n) => n + PAGE)}
                />
              )}
              {csv && toFix.length > 0 ? <BlockersCsvCard {...csv} fixes={toFix} /> : null}
              {blocking.length > 0 ? (
                <div className="flex flex-wrap items-center gap-3 rounded-md border border-border p-3">
                  <Button onClick={() => onPin(blocking.map((b) => b.service_id))}>
                    Move the others, keep these on their current version
                  </Button>
                  <span className="text-sm text-fg-muted">
                    Keeps the {formatCount(blocking.length)} services still blocking on the version
                    they run now; every other service moves.
                  </span>
                </div>
              ) : null}
              {pins.length > 0 ? <PinnedSection pins={pins} onUnpin={onUnpin} /> : null}
              {!grouped && fixed.length > 0 ? (
                <section aria-labelledby="fixed-heading" className="space-y-3">
                  <h3 id="fixed-heading" className="text-sm font-semibold">
                    Fixed — will be saved with this change ({fixed.length})
                  </h3>
                  <ul aria-label="Fixed services" className="space-y-3">
                    {fixed.map((f) => (
                      <li key={f.serviceId}>
                        <ServiceFixer
                          fix={f}
                          state="fixed"
                          showErrors={showErrors}
                          serviceHref={serviceHref(f.serviceId)}
                          onChange={onFixChange}
                        />
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
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

function BlockingHeading({ blocking }: { blocking: BlockingService[] }) {
  return (
    <>
      <h3 id="blocking-heading" tabIndex={-1} className="text-sm font-semibold">
        Blocking services ({blocking.length})
      </h3>
      <p className="sr-only" role="status" aria-live="polite">
        {blocking.length === 0
          ? "No blocking services"
          : `${plural(blocking.length, "blocking service")}`}
      </p>
    </>
  );
}

/** The services that block the change, each with inputs for what it lacks, a page at a time. */
function BlockingSection({
  blocking,
  fixes,
  fixedCount,
  saveRefusal,
  fixerProps,
  shown,
  onShowMore,
}: {
  blocking: BlockingService[];
  fixes: ServiceFix[];
  /** How many services the person has fixed so far. */
  fixedCount: number;
  saveRefusal: string | null;
  fixerProps: {
    showErrors: boolean;
    serviceHref: (serviceId: string) => string;
    onChange: (serviceId: string, key: string, value: FixValue) => void;
  };
  shown: number;
  onShowMore: () => void;
}) {
  const fixById = new Map(fixes.map((f) => [f.serviceId, f]));
  return (
    <section aria-labelledby="blocking-heading" className="space-y-3">
      <div>
        <BlockingHeading blocking={blocking} />
        {blocking.length > 0 ? (
          <p className="text-sm text-fg-muted">
            These services don&apos;t provide what the new version needs. Fill in the features
            below: they are saved on each service together with this change, in one step.
          </p>
        ) : null}
      </div>
      {saveRefusal ? (
        <Alert tone="danger" role="alert" title="The server refused to save">
          {saveRefusal}
        </Alert>
      ) : null}
      {blocking.length === 0 ? (
        <Alert tone="ok" title="No blocking services">
          Every service this change applies to is compatible
          {fixedCount > 0 ? " with the features you filled in" : ""}.
        </Alert>
      ) : (
        <ul aria-label="Blocking services" className="space-y-3">
          {blocking.slice(0, shown).map((b) => {
            const fix = fixById.get(b.service_id);
            return (
              <li key={b.service_id}>
                {fix ? (
                  <ServiceFixer
                    fix={fix}
                    state="blocking"
                    showErrors={fixerProps.showErrors}
                    serviceHref={fixerProps.serviceHref(b.service_id)}
                    onChange={fixerProps.onChange}
                  />
                ) : (
                  <p className="text-sm">
                    <span className="font-mono">{b.service_id}</span>: missing{" "}
                    {b.missing.join(", ") || "nothing"}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {blocking.length > shown ? (
        <Button size="sm" onClick={onShowMore}>
          Show {Math.min(PAGE, blocking.length - shown)} more blocking services
        </Button>
      ) : null}
    </section>
  );
}
