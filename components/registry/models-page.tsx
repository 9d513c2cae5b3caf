"use client";
// /models: every model in the (global) registry, with its version count and latest version.
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useMe } from "@/lib/queries/me";
import { useModels } from "@/lib/queries/registry";
import { modelHref, versionHref } from "./links";
import { RegisterModelDialog } from "./register-model-dialog";

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
      <Card>
        <CardHeader id="models-heading" title="Models" />
        <QueryState query={models} loadingLabel="Loading models…">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState title="No models registered yet">
                {canWrite
                  ? "Register a model, then add its first version with a feature contract."
                  : "An editor with the models:write scope can register one."}
              </EmptyState>
            ) : (
              <Table aria-labelledby="models-heading">
                <thead>
                  <tr>
                    <Th>Model</Th>
                    <Th>Name</Th>
                    <Th className="text-right">Versions</Th>
                    <Th>Latest version</Th>
                    <Th>Registered</Th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((model) => {
                    const latest = model.versions.at(-1);
                    return (
                      <Tr key={model.model_id}>
                        <Td>
                          <Link
                            href={modelHref(model.model_id)}
                            className="font-mono font-medium text-accent hover:underline"
                          >
                            {model.model_id}
                          </Link>
                        </Td>
                        <Td>
                          <div>{model.name}</div>
                          {model.description ? (
                            <div className="text-xs text-fg-muted">{model.description}</div>
                          ) : null}
                        </Td>
                        <Td className="text-right tabular-nums">{model.versions.length}</Td>
                        <Td>
                          {latest ? (
                            <Link
                              href={versionHref(model.model_id, latest)}
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
                  })}
                </tbody>
              </Table>
            )
          }
        </QueryState>
      </Card>
      {canWrite ? <RegisterModelDialog open={registering} onOpenChange={setRegistering} /> : null}
    </>
  );
}
