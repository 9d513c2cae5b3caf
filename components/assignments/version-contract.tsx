"use client";
// A version's feature contract as a readable list, and what in it breaks services that ran the current version.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeDefinition } from "@/lib/features/contract-form";
import { paths } from "@/components/paths";
import { Badge } from "@/components/ui/badge";
import { ErrorState, LoadingState } from "@/components/ui/states";
import type { ContractDiff } from "@/lib/browser/api-client/types";
import { useContractDiff, versionQuery } from "@/lib/browser/queries/registry";
import { ModelVersion } from "./model-version";
import { MarkdownText } from "@/components/ui/markdown-text";

type Change = ContractDiff["changes"][number];

const CHANGE_LABEL: Record<Change["change"], string> = {
  added: "new",
  removed: "removed",
  retyped: "type changed",
  required_changed: "now required",
  default_changed: "default changed",
  allowed_values_changed: "values changed",
};

function changeLabel(change: Change): string {
  if (change.change === "required_changed")
    return change.to?.required ? "now required" : "now optional";
  return CHANGE_LABEL[change.change];
}

function ChangeBadges({ changes }: { changes: Change[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {changes.map((c) => (
        <Badge key={c.change} tone={c.impact === "breaking" ? "danger" : "neutral"}>
          <span title={c.reason}>
            {c.impact === "breaking" ? "Breaking: " : ""}
            {changeLabel(c)}
          </span>
        </Badge>
      ))}
    </span>
  );
}

/**
 * `compareTo`: the version the key runs now (same model), to mark what is breaking; null when there is none or
 * the model differs.
 */
export function VersionContract({
  modelId,
  version,
  compareTo,
  headingId,
}: {
  modelId: string;
  version: string;
  compareTo: string | null;
  headingId?: string;
}) {
  const contract = useQuery({ ...versionQuery(modelId, version), enabled: !!modelId && !!version });
  const diff = useContractDiff(modelId, version, compareTo);
  const comparing = !!compareTo && compareTo !== version;

  if (!modelId || !version) {
    return (
      <p className="text-sm text-fg-muted">
        Pick a model and a version to see the features it needs from each service.
      </p>
    );
  }
  if (contract.isPending) return <LoadingState label="Loading the contract…" />;
  if (contract.error)
    return (
      <ErrorState
        error={contract.error}
        onRetry={() => contract.refetch()}
        title="Could not load the contract"
      />
    );

  const features = contract.data.features;
  const changesByKey = new Map<string, Change[]>();
  for (const c of diff.data?.changes ?? [])
    changesByKey.set(c.key, [...(changesByKey.get(c.key) ?? []), c]);
  const removed = (diff.data?.changes ?? []).filter((c) => c.change === "removed");
  const breaking = (diff.data?.changes ?? []).filter((c) => c.impact === "breaking");

  return (
    <section aria-labelledby={headingId}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="text-sm font-semibold">
          Contract of <ModelVersion modelId={modelId} version={version} />
        </h3>
        {comparing ? (
          diff.isPending ? (
            <span className="text-xs text-fg-muted">Comparing with {compareTo}…</span>
          ) : diff.data ? (
            <Badge tone={diff.data.breaking ? "danger" : "ok"}>
              {diff.data.breaking
                ? `${breaking.length} breaking ${breaking.length === 1 ? "change" : "changes"} since ${compareTo}`
                : `No breaking changes since ${compareTo}`}
            </Badge>
          ) : null
        ) : compareTo === version ? (
          <Badge>The version the key runs now</Badge>
        ) : null}
      </div>
      <p className="mt-1 text-sm text-fg-muted">
        {contract.data.description ? (
          <>
            <MarkdownText>{contract.data.description}</MarkdownText>
            {" · "}
          </>
        ) : null}
        <Link className="text-accent underline" href={paths.modelVersion(modelId, version)}>
          Open {version} in the registry
        </Link>
      </p>
      {features.length === 0 ? (
        <p className="mt-2 text-sm text-fg-muted">
          This version needs no features: every service is compatible.
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-border rounded-md border border-border">
          {features.map((f) => (
            <li
              key={f.key}
              className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 px-3 py-2"
            >
              <div className="min-w-0">
                <p className="text-sm">
                  <code className="font-mono font-medium">{f.key}</code>{" "}
                  <span className="text-fg-muted">{describeDefinition(f)}</span>
                </p>
                {f.description ? (
                  <p className="text-xs text-fg-muted">
                    <MarkdownText>{f.description}</MarkdownText>
                  </p>
                ) : null}
                {(changesByKey.get(f.key) ?? [])
                  .filter((c) => c.impact === "breaking")
                  .map((c) => (
                    <p key={c.change} className="text-xs text-danger">
                      {c.reason}
                    </p>
                  ))}
              </div>
              {changesByKey.has(f.key) ? <ChangeBadges changes={changesByKey.get(f.key)!} /> : null}
            </li>
          ))}
          {removed.map((c) => (
            <li
              key={`removed-${c.key}`}
              className="flex flex-wrap items-start justify-between gap-2 px-3 py-2"
            >
              <p className="text-sm text-fg-muted">
                <code className="font-mono line-through">{c.key}</code> no longer in the contract
              </p>
              <ChangeBadges changes={[c]} />
            </li>
          ))}
        </ul>
      )}
      {diff.error ? (
        <p className="mt-2 text-xs text-danger">
          Could not compare with {compareTo}: {(diff.error as Error).message}
        </p>
      ) : null}
    </section>
  );
}
