// One change of a request and its impact as stored: the services that move from what to what, the services that
// block it (with what they lack), the contract diff, and the service patches that go with it.
import { ModelVersion } from "@/components/assignments/model-version";
import { paths } from "@/components/paths";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { ChangeImpact, ChangeRequest } from "@/lib/browser/api-client/types";
import Link from "next/link";

type Change = ChangeRequest["changes"][number];
type Ref = ChangeImpact["moves"][number]["from"];

function RefLabel({ value }: { value: Ref }) {
  return value ? (
    <span>
      <ModelVersion modelId={value.model_id} version={value.model_version} />{" "}
      <span className="text-xs text-fg-muted">
        ({value.source === "service" ? "own" : "domain default"})
      </span>
    </span>
  ) : (
    <span className="text-fg-muted">no assignment</span>
  );
}

export function ImpactView({
  clientId,
  change,
  index,
}: {
  clientId: string;
  change: Change;
  index: number;
}) {
  const { impact, body } = change;
  const where = change.service_id
    ? `${change.domain_id} · service ${change.service_id}`
    : `${change.domain_id} · domain default`;
  const serviceHref = (id: string) => paths.service(clientId, change.domain_id, id);
  const moved = impact.moves.reduce((n, m) => n + m.service_ids.length, 0);
  return (
    <section aria-labelledby={`change-${index}`}>
      <Card>
        <CardHeader
          id={`change-${index}`}
          title={
            <>
              {change.assignment_key}: {String(body.model_id)}@{String(body.model_version)}
              {body.status === "archived" ? " (retire)" : ""}
            </>
          }
          description={where}
          actions={
            impact.blocking_services.length > 0 ? (
              <Badge tone="danger">{impact.blocking_services.length} blocking</Badge>
            ) : (
              <Badge tone="ok">no blocking services</Badge>
            )
          }
        />
        <CardBody className="space-y-4 text-sm">
          <section aria-label="Services that move">
            <h3 className="mb-1 font-medium">
              Affected services ({moved} {moved === 1 ? "moves" : "move"})
            </h3>
            {impact.moves.length === 0 ? (
              <p className="text-fg-muted">No service changes model.</p>
            ) : (
              <Table>
                <thead>
                  <Tr>
                    <Th>From</Th>
                    <Th>To</Th>
                    <Th>Services</Th>
                  </Tr>
                </thead>
                <tbody>
                  {impact.moves.map((m, i) => (
                    <Tr key={i}>
                      <Td>
                        <RefLabel value={m.from} />
                      </Td>
                      <Td>
                        <RefLabel value={m.to} />
                      </Td>
                      <Td>
                        {m.service_ids.slice(0, 50).join(", ")}
                        {m.service_ids.length > 50 ? ` and ${m.service_ids.length - 50} more` : ""}
                      </Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
          <section aria-label="Blocking services">
            <h3 className="mb-1 font-medium">Blocking services</h3>
            {impact.blocking_services.length === 0 ? (
              <p className="text-fg-muted">None: every affected service fits the new contract.</p>
            ) : (
              <ul className="list-disc pl-5">
                {impact.blocking_services.map((b) => (
                  <li key={b.service_id}>
                    <Link className="underline" href={serviceHref(b.service_id)}>
                      {b.service_id}
                    </Link>
                    {b.missing.length ? `: missing ${b.missing.join(", ")}` : ""}
                    {b.invalid.length
                      ? `${b.missing.length ? ";" : ":"} invalid ${b.invalid.map((x) => x.key).join(", ")}`
                      : ""}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-label="Contract diff">
            <h3 className="mb-1 font-medium">Contract diff</h3>
            {impact.contract_diff === null ? (
              <p className="text-fg-muted">No contract to compare with.</p>
            ) : impact.contract_diff.changes.length === 0 ? (
              <p className="text-fg-muted">
                {impact.contract_diff.from} → {impact.contract_diff.to}: same contract.
              </p>
            ) : (
              <>
                <p className="mb-1">
                  {impact.contract_diff.from} → {impact.contract_diff.to}{" "}
                  {impact.contract_diff.breaking ? <Badge tone="warn">breaking</Badge> : null}
                </p>
                <ul className="list-disc pl-5">
                  {impact.contract_diff.changes.map((c) => (
                    <li key={`${c.key}-${c.change}`}>
                      <span className="font-mono">{c.key}</span> {c.change.replace(/_/g, " ")}:{" "}
                      {c.reason}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {impact.service_updates.length > 0 ? (
            <section aria-label="Service updates">
              <h3 className="mb-1 font-medium">Service updates</h3>
              <ul className="list-disc pl-5">
                {impact.service_updates.map((u) => (
                  <li key={u.service_id}>
                    {u.service_id}: <span className="font-mono">{JSON.stringify(u.after)}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </CardBody>
      </Card>
    </section>
  );
}
