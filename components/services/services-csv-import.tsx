"use client";
// "Import static features (CSV)" on the services page, outside any move: the same two layouts and the same strict
// all-or-nothing check as the assignment editor's import (lib/features/blockers-csv), each service's values checked
// against the versions it runs now. A preview says what would change (checked by the server with a dry run), then
// one bulk write (PATCH …/services) changes every service or none; a refusal is shown in the server's words.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useChangeReason } from "@/components/audit/reason-field";
import { CsvFileField, CsvProblems, readCsv } from "@/components/features/csv-import";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import { versionQuery } from "@/lib/browser/queries/registry";
import { listAllServices, usePatchServices } from "@/lib/browser/queries/services";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { validateImport, type ImportProblem } from "@/lib/features/blockers-csv";
import { describeValue } from "@/lib/features/describe-value";
import {
  planImport,
  serviceContracts,
  versionLabel,
  type ImportPlan,
  type VersionRef,
} from "@/lib/features/services-csv";
import type { FeatureDefinition, Features } from "@/lib/features/types";
import { formatCount } from "@/lib/shared/format-count";

const SHOWN_CHANGES = 20;

type Preview = { file: string; plan: ImportPlan; rows: number };

/** The server's refusal in its own words, with the services it names. */
function refusalText(error: unknown): string {
  if (!(error instanceof ApiClientError)) return (error as Error).message;
  const blocking = error.blockingServices.slice(0, 10).map((b) => {
    const what = [
      ...(b.missing.length ? [`missing ${b.missing.join(", ")}`] : []),
      ...b.invalid.map((i) => `${i.key} should be ${i.expected}, got ${i.got}`),
    ].join("; ");
    return `${b.service_id} (${what})`;
  });
  return blocking.length > 0 && !error.message.includes(blocking[0]!)
    ? `${error.message} ${blocking.join(", ")}`
    : error.message;
}

export function ServicesCsvImport({ clientId, domainId }: { clientId: string; domainId: string }) {
  const queryClient = useQueryClient();
  const patch = usePatchServices(clientId, domainId);
  const changeReason = useChangeReason(`services-csv-reason`, useReasonRequired(clientId));
  const [busy, setBusy] = useState<"checking" | "writing" | null>(null);
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);

  const reset = () => {
    setProblems([]);
    setRefusal(null);
    setStatus(null);
    setPreview(null);
  };

  const check = async (file: File) => {
    reset();
    // The preview's dry run is audited like the write, so a client that requires reasons needs one first.
    if (!changeReason.check()) return;
    setBusy("checking");
    try {
      const [table, services] = await Promise.all([
        readCsv(file),
        listAllServices(clientId, domainId, { status: "all", include: "effective" }),
      ]);
      // The versions the domain's services run now, each fetched once (and cached).
      const effective = new Map<string, VersionRef[]>(
        services.map((s) => [s.service_id, Object.values(s.effective ?? {})]),
      );
      const versions = new Map<string, VersionRef>();
      for (const refs of effective.values()) for (const r of refs) versions.set(versionLabel(r), r);
      const contracts = new Map<string, readonly FeatureDefinition[]>(
        await Promise.all(
          [...versions].map(
            async ([label, r]) =>
              [
                label,
                (await queryClient.fetchQuery(versionQuery(r.model_id, r.model_version))).features,
              ] as const,
          ),
        ),
      );
      const result = validateImport(table, {
        services: new Map(services.map((s) => [s.service_id, s.status])),
        contracts: serviceContracts(effective, contracts),
      });
      if (result.problems.length > 0) {
        setProblems(result.problems);
        setStatus(
          `Nothing imported: ${formatCount(result.problems.length)} ${result.problems.length === 1 ? "row needs" : "rows need"} fixing in ${file.name}.`,
        );
        return;
      }
      const plan = planImport(
        result.updates,
        new Map<string, Features>(services.map((s) => [s.service_id, s.provided_features])),
      );
      if (plan.items.length === 0) {
        setStatus(
          `Nothing to change: the ${formatCount(result.rows)} values in ${file.name} are what the services already have.`,
        );
        return;
      }
      // The server checks what the page can't (every contract, the change policy) without writing anything.
      try {
        await patch.mutateAsync({
          body: { items: plan.items },
          reason: changeReason.reason,
          dryRun: true,
        });
      } catch (error) {
        setRefusal(refusalText(error));
        setStatus(`Nothing imported from ${file.name}: the server refused it.`);
        return;
      }
      setPreview({ file: file.name, plan, rows: result.rows });
    } catch (error) {
      setStatus(`Could not import: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const write = async () => {
    if (!preview || !changeReason.check()) return;
    setBusy("writing");
    setRefusal(null);
    try {
      const result = await patch.mutateAsync({
        body: { items: preview.plan.items },
        reason: changeReason.reason,
      });
      setPreview(null);
      changeReason.reset();
      setStatus(
        `Saved: ${formatCount(result.updated)} ${result.updated === 1 ? "service" : "services"} updated from ${preview.file}.`,
      );
    } catch (error) {
      setRefusal(refusalText(error));
      setStatus("Nothing was saved.");
    } finally {
      setBusy(null);
    }
  };

  const plan = preview?.plan;
  return (
    <section
      aria-labelledby="services-csv-heading"
      className="rounded-lg border border-border bg-surface"
    >
      <CardHeader
        id="services-csv-heading"
        title="Import static features (CSV)"
        description={
          <>
            A file of <code>service_id,feature,value</code>, or of <code>service_id</code> and one
            column per feature (an empty cell leaves the feature as it is). Each value must fit the
            versions its service runs now. If any row is wrong, nothing is imported.
          </>
        }
      />
      <CardBody className="space-y-3">
        <div className="max-w-xl">{changeReason.field}</div>
        <CsvFileField label="CSV file" disabled={busy !== null} onFile={check} />
        <p role="status" aria-live="polite" className="text-sm">
          {busy === "checking"
            ? "Reading and checking the file…"
            : busy === "writing"
              ? "Saving…"
              : status}
        </p>
        {refusal ? (
          <Alert tone="danger" role="alert" title="The server refused the import">
            <p>{refusal}</p>
          </Alert>
        ) : null}
        <CsvProblems problems={problems} />
        {preview && plan ? (
          <section
            aria-label="Import preview"
            className="space-y-2 rounded-md border border-border p-3"
          >
            <h3 className="text-sm font-semibold">
              {`${formatCount(plan.items.length)} ${plan.items.length === 1 ? "service" : "services"} will change`}
            </h3>
            <p className="text-sm">
              {plan.byFeature
                .map(
                  (f) =>
                    `${f.feature} (${formatCount(f.services)} ${f.services === 1 ? "service" : "services"})`,
                )
                .join(", ")}
              {plan.unchanged > 0
                ? `; ${formatCount(plan.unchanged)} ${plan.unchanged === 1 ? "value is" : "values are"} already set as in the file`
                : ""}
              .
            </p>
            <Table aria-label="Changes">
              <thead>
                <tr>
                  <Th>Service</Th>
                  <Th>Feature</Th>
                  <Th>Now</Th>
                  <Th>After import</Th>
                </tr>
              </thead>
              <tbody>
                {plan.changes.slice(0, SHOWN_CHANGES).map((c) => (
                  <Tr key={`${c.service_id}/${c.feature}`}>
                    <Td className="font-mono">{c.service_id}</Td>
                    <Td className="font-mono">{c.feature}</Td>
                    <Td>{c.from === undefined ? "—" : describeValue(c.from)}</Td>
                    <Td>{describeValue(c.to)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
            {plan.changes.length > SHOWN_CHANGES ? (
              <p className="text-sm text-fg-muted">
                and {formatCount(plan.changes.length - SHOWN_CHANGES)} more changes.
              </p>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <Button
                variant="primary"
                size="sm"
                busy={busy === "writing"}
                onClick={() => void write()}
              >
                {`Save ${formatCount(plan.items.length)} ${plan.items.length === 1 ? "service" : "services"}`}
              </Button>
              <Button size="sm" disabled={busy !== null} onClick={reset}>
                Cancel
              </Button>
            </div>
          </section>
        ) : null}
      </CardBody>
    </section>
  );
}
