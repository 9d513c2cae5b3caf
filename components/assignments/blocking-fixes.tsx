"use client";
// What the editor shows once services block the change or are being fixed: an input per service (or, beyond
// GROUP_ABOVE, the services grouped by what they lack), the CSV export and import, "keep these on their current
// version" and the services kept there, and the ones fixed so far. Loaded apart from the editor (change-impact.tsx
// fetches it as soon as a version is picked, alongside the preview), as most changes block nothing.
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { BlockingService } from "@/lib/browser/api-client/types";
import type { FeatureDefinition } from "@/lib/features/types";
import { formatCount } from "@/lib/shared/format-count";
import { BlockerGroupsView, PinnedSection } from "./blocker-groups-view";
import { BlockersCsvCard } from "./blockers-csv-card";
import { BlockingHeading } from "./blocking-heading";
import type { Repairs } from "./editor/use-repairs";
import { ServiceFixer } from "./service-fixer";
import type { ServiceFix } from "./service-repairs";

const PAGE = 50;
/** Beyond this many services to fix, they are shown grouped by problem instead of one form each. */
export const GROUP_ABOVE = 20;

export type BlockingFixesProps = {
  blocking: BlockingService[];
  /** Every service to fix or fixed, pinned ones included. */
  fixes: ServiceFix[];
  /** The server's message when it refused the last save because of these services. */
  saveRefusal: string | null;
  showErrors: boolean;
  serviceHref: (serviceId: string) => string;
  repairs: Pick<
    Repairs,
    "setFix" | "setValues" | "clearFix" | "setMany" | "pins" | "pin" | "unpin"
  >;
  /** What the CSV export and import need; absent until the version's contract is read. */
  csv: {
    clientId: string;
    domainId: string;
    target: string;
    contract: readonly FeatureDefinition[];
  } | null;
};

export function BlockingFixes({
  blocking,
  fixes,
  saveRefusal,
  showErrors,
  serviceHref,
  repairs,
  csv,
}: BlockingFixesProps) {
  // How many blocking services are listed; kept while the preview reloads.
  const [shown, setShown] = useState(PAGE);
  const { pins } = repairs;
  const blockingIds = new Set(blocking.map((b) => b.service_id));
  const pinned = new Set(pins);
  // A pinned service stays where it is: it is not fixed, and not shown among the ones to fix.
  const toFix = fixes.filter((f) => !pinned.has(f.serviceId));
  const grouped = toFix.length > GROUP_ABOVE;
  const fixed = toFix.filter(
    (f) => !blockingIds.has(f.serviceId) && Object.keys(f.staticFeatures).length > 0,
  );
  const fixer = (fix: ServiceFix, state: "blocking" | "fixed") => (
    <ServiceFixer
      fix={fix}
      state={state}
      showErrors={showErrors}
      serviceHref={serviceHref(fix.serviceId)}
      onChange={repairs.setFix}
    />
  );
  const refusal = saveRefusal ? (
    <Alert tone="danger" role="alert" title="The server refused to save">
      {saveRefusal}
    </Alert>
  ) : null;

  return (
    <>
      {grouped ? (
        <section aria-labelledby="blocking-heading" className="space-y-3">
          <BlockingHeading blocking={blocking} />
          {refusal}
          <p className="text-sm text-fg-muted">
            {formatCount(toFix.length)} services need features for this version, grouped by what
            they lack. Fill one value for a group, or per service; what you fill is saved on each
            service together with this change.
          </p>
          <BlockerGroupsView fixes={toFix} actions={repairs} />
        </section>
      ) : (
        <BlockingList
          blocking={blocking}
          fixes={toFix}
          fixedCount={fixed.length}
          refusal={refusal}
          shown={shown}
          onShowMore={() => setShown((n) => n + PAGE)}
          fixer={(fix) => fixer(fix, "blocking")}
        />
      )}
      {csv && toFix.length > 0 ? (
        <BlockersCsvCard {...csv} fixes={toFix} onImport={repairs.setMany} />
      ) : null}
      {blocking.length > 0 ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-border p-3">
          <Button onClick={() => repairs.pin(blocking.map((b) => b.service_id))}>
            Move the others, keep these on their current version
          </Button>
          <span className="text-sm text-fg-muted">
            Keeps the {formatCount(blocking.length)} services still blocking on the version they run
            now; every other service moves.
          </span>
        </div>
      ) : null}
      {pins.length > 0 ? <PinnedSection pins={pins} onUnpin={repairs.unpin} /> : null}
      {!grouped && fixed.length > 0 ? (
        <section aria-labelledby="fixed-heading" className="space-y-3">
          <h3 id="fixed-heading" className="text-sm font-semibold">
            Fixed — will be saved with this change ({fixed.length})
          </h3>
          <ul aria-label="Fixed services" className="space-y-3">
            {fixed.map((f) => (
              <li key={f.serviceId}>{fixer(f, "fixed")}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** The services that block the change, each with inputs for what it lacks, a page at a time. */
function BlockingList({
  blocking,
  fixes,
  fixedCount,
  refusal,
  shown,
  onShowMore,
  fixer,
}: {
  blocking: BlockingService[];
  fixes: ServiceFix[];
  /** How many services the person has fixed so far. */
  fixedCount: number;
  refusal: ReactNode;
  shown: number;
  onShowMore: () => void;
  fixer: (fix: ServiceFix) => ReactNode;
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
      {refusal}
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
                  fixer(fix)
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
