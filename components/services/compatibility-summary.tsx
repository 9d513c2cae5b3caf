import { Badge } from "@/components/ui/badge";
import type { ServiceListItem } from "@/lib/browser/queries/services";

/** Whether a service fits the chosen version's contract, and if not, what is missing or invalid. */
export function CompatibilitySummary({
  compatibility,
}: {
  compatibility: ServiceListItem["compatibility"];
}) {
  if (!compatibility) return <span className="text-fg-muted">—</span>;
  if (compatibility.compatible) return <Badge tone="ok">Compatible</Badge>;
  return (
    <div className="space-y-1">
      <Badge tone="danger">Not compatible</Badge>
      <ul className="space-y-0.5 text-xs">
        {compatibility.missing.map((key) => (
          <li key={`m-${key}`}>
            Missing <span className="font-mono font-medium">{key}</span>
          </li>
        ))}
        {compatibility.invalid.map((i) => (
          <li key={`i-${i.key}`}>
            Invalid <span className="font-mono font-medium">{i.key}</span>: expected {i.expected},
            got <span className="font-mono">{i.got}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
