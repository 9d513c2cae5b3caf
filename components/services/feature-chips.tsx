import type { Features } from "@/lib/features/types";

/** A service's provided features as `key: value` chips, values quoted the way JSON shows them. */
export function FeatureChips({
  features,
  empty = "No features",
}: {
  features: Features;
  empty?: string;
}) {
  const entries = Object.entries(features).filter(([, v]) => v !== null && v !== undefined);
  if (entries.length === 0) return <span className="text-sm text-fg-muted">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Provided features">
      {entries.map(([key, value]) => (
        <li
          key={key}
          className="inline-flex max-w-full items-center rounded border border-border bg-muted px-1.5 py-0.5 font-mono text-xs"
        >
          <span className="text-fg-muted">{key}:</span>&nbsp;
          <span className="truncate">
            {typeof value === "string" ? value : JSON.stringify(value)}
          </span>
        </li>
      ))}
    </ul>
  );
}
