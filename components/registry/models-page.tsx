"use client";
// /models: every model in the (global) registry, with its version count and latest version.
import Link from "next/link";
import { useState } from "react";
import { paths } from "@/components/paths";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { useMe } from "@/lib/browser/queries/me";
import { useModels } from "@/lib/browser/queries/registry";
import { RegisterModelDialog } from "./register-model-dialog";
import { MarkdownText } from "@/components/ui/markdown-text";

export function ModelsPage() {
  const me = useMe();
  const models = useModels();
  const [registering, setRegistering] = useState(false);
  const canWrite = me.data?.can.write_models === true;

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Model registry" }]}
        title="Model registry"
        description="Models and their versions. A version's feature contract is frozen when it is registered: it never changes afterwards."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setRegistering(true)}>
              Register model
            </Button>
          ) : null
        }
      />
      <QueryTableCard
        headingId="models-heading"
        title="Models"
        query={models}
        loadingLabel="Loading models…"
        empty={
          <EmptyState title="No models registered yet">
            {canWrite
              ? "Register a model, then add its first version with a feature contract."
              : "An editor with the models:write scope can register one."}
          </EmptyState>
        }
        columns={[
          "Model",
          "Name",
          { label: "Versions", className: "text-right" },
          "Latest version",
          "Registered",
        ]}
      >
        {(items) =>
          items.map((model) => {
            const latest = model.versions.at(-1);
            return (
              <Tr key={model.model_id}>
                <Td>
                  <Link
                    href={paths.model(model.model_id)}
                    className="font-mono font-medium text-accent hover:underline"
                  >
                    {model.model_id}
                  </Link>
                </Td>
                <Td>
                  <div>{model.name}</div>
                  {model.description ? (
                    <MarkdownText className="block text-xs text-fg-muted">
                      {model.description}
                    </MarkdownText>
                  ) : null}
                </Td>
                <Td className="text-right tabular-nums">{model.versions.length}</Td>
                <Td>
                  {latest ? (
                    <Link
                      href={paths.modelVersion(model.model_id, latest)}
                      className="font-mono text-accent hover:underline"
                      aria-label={`${model.model_id} ${latest}`}
                    >
                      {latest}
                    </Link>
                  ) : (
                    <span className="text-fg-muted">No versions yet</span>
                  )}
                </Td>
                <Td className="whitespace-nowrap text-fg-muted">
                  <DateTime value={model.created_at} />
                </Td>
              </Tr>
            );
          })
        }
      </QueryTableCard>
      {canWrite ? <RegisterModelDialog open={registering} onOpenChange={setRegistering} /> : null}
    </>
  );
}
