"use client";
// /models/{m}: one model's versions (newest first) and, for people who may write models, "Register version".
import Link from "next/link";
import { useState } from "react";
import { paths } from "@/components/paths";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { EmptyState, LoadingState, QueryFallback } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { mustBeProvided } from "@/lib/features/contract-form";
import { useMe } from "@/lib/browser/queries/me";
import { useModel, useVersions } from "@/lib/browser/queries/registry";
import { RegisterVersionForm } from "./register-version-form";
import { formatActor } from "@/lib/shared/format-actor";
import { MarkdownText } from "@/components/ui/markdown-text";

export function ModelPage({ modelId }: { modelId: string }) {
  const me = useMe();
  const model = useModel(modelId);
  const versions = useVersions(modelId);
  const [registering, setRegistering] = useState(false);
  const canWrite = me.data?.can.write_models === true;
  const crumbs = [{ label: "Model registry", href: paths.models() }, { label: modelId }];

  if (model.isPending || model.error)
    return (
      <>
        <PageHeader crumbs={crumbs} title={modelId} />
        <QueryFallback query={model} loadingLabel="Loading the model…" />
      </>
    );

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={
          <span className="flex flex-wrap items-baseline gap-x-3">
            <span>{model.data.name}</span>
            {model.data.name !== modelId ? (
              <span className="font-mono text-base font-normal text-fg-muted">{modelId}</span>
            ) : null}
          </span>
        }
        description={
          <>
            {model.data.description ? (
              <MarkdownText className="block">{model.data.description}</MarkdownText>
            ) : null}
            <span>
              Registered by {formatActor(model.data.created_by)} on{" "}
              <DateTime value={model.data.created_at} />
            </span>
          </>
        }
        actions={
          canWrite && !registering ? (
            <Button variant="primary" onClick={() => setRegistering(true)}>
              Register version
            </Button>
          ) : null
        }
      />
      <div className="space-y-6">
        {registering ? (
          versions.data ? (
            <RegisterVersionForm
              modelId={modelId}
              versions={versions.data.items}
              onCancel={() => setRegistering(false)}
            />
          ) : (
            <LoadingState label="Loading versions…" />
          )
        ) : null}
        <QueryTableCard
          headingId="versions-heading"
          title="Versions"
          description="Immutable: each version's contract is frozen when it is registered."
          query={versions}
          loadingLabel="Loading versions…"
          empty={
            <EmptyState title="No versions yet">
              {canWrite
                ? "Register the first version with its feature contract."
                : "Nothing can be assigned until a version is registered."}
            </EmptyState>
          }
          columns={[
            "Version",
            "Description",
            "Registered",
            "By",
            { label: "Features", className: "text-right" },
            { label: "Required, no default", className: "text-right" },
          ]}
        >
          {(items) =>
            [...items].reverse().map((v, i) => {
              const mustProvide = v.features.filter(mustBeProvided).length;
              return (
                <Tr key={v.version}>
                  <Td>
                    <span className="flex items-center gap-2">
                      <Link
                        href={paths.modelVersion(modelId, v.version)}
                        className="font-mono font-medium text-accent hover:underline"
                      >
                        {v.version}
                      </Link>
                      {i === 0 ? <Badge tone="accent">latest</Badge> : null}
                    </span>
                  </Td>
                  <Td className="text-fg-muted">
                    {v.description ? <MarkdownText>{v.description}</MarkdownText> : "—"}
                  </Td>
                  <Td className="whitespace-nowrap">
                    <DateTime value={v.created_at} />
                  </Td>
                  <Td className="text-fg-muted">{formatActor(v.created_by)}</Td>
                  <Td className="text-right tabular-nums">{v.features.length}</Td>
                  <Td className="text-right tabular-nums">
                    {mustProvide > 0 ? (
                      <Badge tone="warn">{mustProvide}</Badge>
                    ) : (
                      <span className="text-fg-muted">0</span>
                    )}
                  </Td>
                </Tr>
              );
            })
          }
        </QueryTableCard>
      </div>
    </>
  );
}
