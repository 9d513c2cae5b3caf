// What changed between two versions' contracts, each change marked breaking or compatible with the server's reason.
import { Badge } from "@/components/ui/badge";
import { describeDefinition } from "@/lib/features/contract-form";
import type { ContractDiff } from "@/lib/browser/api-client/types";

const CHANGE_LABEL: Record<ContractDiff["changes"][number]["change"], string> = {
  added: "Added",
  removed: "Removed",
  retyped: "Retyped",
  required_changed: "Required changed",
  default_changed: "Default changed",
  allowed_values_changed: "Allowed values changed",
};

export function ContractDiffList({ diff }: { diff: ContractDiff }) {
  const breaking = diff.changes.filter((c) => c.impact === "breaking").length;
  // Breaking changes first: they are what a person has to act on. Within each group, the server's order (by key).
  const changes = [
    ...diff.changes.filter((c) => c.impact === "breaking"),
    ...diff.changes.filter((c) => c.impact !== "breaking"),
  ];
  return (
    <div className="space-y-3">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        {diff.breaking ? (
          <Badge tone="danger">Breaking</Badge>
        ) : (
          <Badge tone="ok">Compatible</Badge>
        )}
        <span>
          {diff.changes.length === 0
            ? `The contracts of ${diff.from} and ${diff.to} are the same.`
            : `${diff.changes.length} ${diff.changes.length === 1 ? "change" : "changes"} from ${diff.from} to ${diff.to}` +
              (breaking > 0
                ? `, ${breaking} breaking: services compatible with ${diff.from} may not be with ${diff.to}.`
                : ": services compatible with the old version stay compatible.")}
        </span>
      </p>
      {diff.changes.length > 0 ? (
        <ul
          aria-label={`Changes from ${diff.from} to ${diff.to}`}
          className="divide-y divide-border rounded-md border border-border"
        >
          {changes.map((change) => (
            <li
              key={`${change.key}-${change.change}`}
              className="flex flex-col gap-1 px-3 py-2.5 sm:flex-row sm:items-start sm:gap-4"
            >
              <div className="flex shrink-0 items-center gap-2 sm:w-72">
                {change.impact === "breaking" ? (
                  <Badge tone="danger">breaking</Badge>
                ) : (
                  <Badge tone="ok">compatible</Badge>
                )}
                <span className="text-sm font-medium">{CHANGE_LABEL[change.change]}</span>
                <code className="font-mono text-sm">{change.key}</code>
              </div>
              <div className="min-w-0 text-sm">
                <p>{change.reason}</p>
                <p className="mt-0.5 text-xs text-fg-muted">
                  {change.from ? describeDefinition(change.from) : "not in the contract"}
                  <span aria-hidden> → </span>
                  <span className="sr-only"> becomes </span>
                  {change.to ? describeDefinition(change.to) : "not in the contract"}
                </p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
