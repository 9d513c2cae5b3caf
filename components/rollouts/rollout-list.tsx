"use client";
// /rollouts: every rollout the signed-in person may see, newest first, with a link to plan a new one.
import Link from "next/link";
import { paths } from "@/components/paths";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, CardBody } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useMe } from "@/lib/browser/queries/me";
import { useRollouts } from "@/lib/browser/queries/rollouts";
import { RolloutStatus } from "./rollout-status";

export function RolloutListPage() {
  const rollouts = useRollouts();
  const me = useMe();
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Rollouts" }]}
        title="Rollouts"
        description="Move one assignment key to a model version across domains in waves, gated on what services report."
        actions={
          me.data?.can.write_assignments ? (
            <ButtonLink href={paths.newRollout()}>New rollout</ButtonLink>
          ) : null
        }
      />
      <Card>
        <CardBody>
          <QueryState query={rollouts} loadingLabel="Loading rollouts…">
            {(page) =>
              page.items.length === 0 ? (
                <EmptyState title="No rollouts yet">
                  Plan one to move a key across domains wave by wave.
                </EmptyState>
              ) : (
                <Table>
                  <thead>
                    <tr>
                      <Th>Name</Th>
                      <Th>Moves</Th>
                      <Th>Status</Th>
                      <Th>Wave</Th>
                      <Th>Started</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((r) => (
                      <Tr key={r.id}>
                        <Td>
                          <Link className="text-accent underline" href={paths.rollout(r.id)}>
                            {r.name}
                          </Link>
                        </Td>
                        <Td className="font-mono text-xs">
                          {r.assignment_key} → {r.model_id}@{r.model_version}
                        </Td>
                        <Td>
                          <RolloutStatus status={r.status} />
                        </Td>
                        <Td>
                          {r.current_wave
                            ? `${r.current_wave} of ${r.wave_count}${r.current_wave_name ? ` (${r.current_wave_name})` : ""}`
                            : `${r.wave_count} of ${r.wave_count}`}
                        </Td>
                        <Td>
                          <DateTime value={r.created_at} />
                        </Td>
                      </Tr>
                    ))}
                  </tbody>
                </Table>
              )
            }
          </QueryState>
        </CardBody>
      </Card>
    </>
  );
}
