"use client";
// /models/{m}/versions/{v}: the version's frozen contract, and a comparison with another version whose choice
// lives in the URL (?from=), so a reload or a shared link shows the same diff.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { paths } from "@/components/paths";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { FormField } from "@/components/ui/form-field";
import { Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, LoadingState, QueryFallback } from "@/components/ui/states";
import { mustBeProvided } from "@/lib/features/contract-form";
import { useContractDiff, useVersion, useVersions } from "@/lib/browser/queries/registry";
import { ContractDiffList } from "./contract-diff-list";
import { ContractTable } from "./contract-table";
import { formatActor } from "@/lib/shared/format-actor";
import { MarkdownText } from "@/components/ui/markdown-text";

export function VersionPage({ modelId, version }: { modelId: string; version: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const from = params.get("from");
  const current = useVersion(modelId, version);
  const versions = useVersions(modelId);
  const diff = useContractDiff(modelId, version, from);
  const crumbs = [
    { label: "Model registry", href: paths.models() },
    { label: modelId, href: paths.model(modelId) },
    { label: version },
  ];
  const title = (
    <span className="flex flex-wrap items-baseline gap-x-2">
      <span>{modelId}</span>
      <span className="font-mono">{version}</span>
    </span>
  );

  if (current.isPending || current.error)
    return (
      <>
        <PageHeader crumbs={crumbs} title={title} />
        <QueryFallback query={current} loadingLabel="Loading the version…" />
      </>
    );

  const v = current.data;
  const mustProvide = v.features.filter(mustBeProvided).length;
  const others = (versions.data?.items ?? []).filter((o) => o.version !== version).reverse();

  const chooseFrom = (value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set("from", value);
    else next.delete("from");
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={title}
        description={
          <>
            {v.description ? <MarkdownText className="block">{v.description}</MarkdownText> : null}
            <span>
              Registered by {formatActor(v.created_by)} on <DateTime value={v.created_at} />.
              Immutable: register a new version to change the contract.
            </span>
            <span className="block">
              Contract hash{" "}
              <code className="font-mono text-xs break-all" aria-label="Contract hash">
                {v.contract_hash}
              </code>{" "}
              (SHA-256 of the contract in canonical JSON: services report it to prove which contract
              they loaded).
            </span>
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader
            id="contract-heading"
            title="Feature contract"
            description={
              v.features.length === 0
                ? "No features: every service is compatible."
                : `${v.features.length} ${v.features.length === 1 ? "feature" : "features"}; ${mustProvide} must be provided by every service (required, no default).`
            }
          />
          {v.features.length === 0 ? (
            <EmptyState title="This version's contract is empty" />
          ) : (
            <ContractTable features={v.features} labelledBy="contract-heading" />
          )}
        </Card>

        <Card>
          <CardHeader
            id="compare-heading"
            title="Compare with another version"
            description="What a service would have to change to move between the two."
          />
          <CardBody className="space-y-4">
            <FormField id="compare-from" label="Compare with" className="max-w-xs">
              {(field) => (
                <Select
                  {...field}
                  value={from ?? ""}
                  onChange={(e) => chooseFrom(e.target.value)}
                  disabled={versions.isPending}
                  className="font-mono"
                >
                  <option value="">Choose a version…</option>
                  {others.map((o) => (
                    <option key={o.version} value={o.version}>
                      {o.version}
                    </option>
                  ))}
                  {from && versions.data && !others.some((o) => o.version === from) ? (
                    <option value={from}>{from}</option>
                  ) : null}
                </Select>
              )}
            </FormField>
            {!from ? (
              versions.data && others.length === 0 ? (
                <p className="text-sm text-fg-muted">
                  This is the model&apos;s only version: there is nothing to compare with yet.
                </p>
              ) : (
                <p className="text-sm text-fg-muted">
                  Choose a version to see the features added, removed or changed on the way to{" "}
                  {version}.
                </p>
              )
            ) : from === version ? (
              <p className="text-sm text-fg-muted">That is this version: choose another one.</p>
            ) : diff.isPending ? (
              <LoadingState label="Comparing contracts…" />
            ) : diff.error ? (
              <ErrorState
                error={diff.error}
                onRetry={() => diff.refetch()}
                title="Could not compare the contracts"
              />
            ) : (
              <ContractDiffList diff={diff.data} />
            )}
          </CardBody>
        </Card>
      </div>
      <span className="sr-only" aria-live="polite">
        {from && diff.data
          ? `Compared with ${from}: ${diff.data.breaking ? "breaking" : "compatible"}`
          : ""}
      </span>
    </>
  );
}
