import { Badge } from "@/components/ui/badge";
import type { ServiceEffectiveEntry } from "@/lib/browser/api-client/types";

/** model@version of one key for one service, with where it comes from in words: its own override, or the domain default. */
export function EffectiveSummary({ effective }: { effective: ServiceEffectiveEntry | undefined }) {
  if (!effective) return <span className="text-fg-muted">None</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="font-mono text-xs">
        {effective.model_id}@{effective.model_version}
      </span>
      {effective.source === "service" ? (
        <Badge tone="accent" className="border border-accent/40">
          own
        </Badge>
      ) : (
        <Badge tone="neutral">default</Badge>
      )}
    </span>
  );
}
