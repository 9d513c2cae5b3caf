"use client";
// CSV out and in for the blocking services of a domain change: export what each one lacks or has wrong (to fill
// in elsewhere), import the filled file (service_id,feature,value, or one column per feature). Every row is
// checked against the version's contract and the domain's services before anything joins the change; bad rows
// are listed by line, service, feature and why, and then nothing is imported.
import { useState } from "react";
import { CsvFileField, CsvProblems, downloadCsv, readCsv } from "@/components/features/csv-import";
import { Button } from "@/components/ui/button";
import { listAllServices } from "@/lib/browser/queries/services";
import {
  blockersCsv,
  validateImport,
  type ImportProblem,
  type ServiceUpdate,
} from "@/lib/features/blockers-csv";
import { describeValue } from "@/lib/features/describe-value";
import type { FeatureDefinition } from "@/lib/features/types";
import { formatCount } from "@/lib/shared/format-count";
import type { FixValue, ServiceFix } from "./service-repairs";

export function BlockersCsvCard({
  clientId,
  domainId,
  target,
  contract,
  fixes,
  onImport,
}: {
  clientId: string;
  domainId: string;
  /** model@version. */
  target: string;
  contract: readonly FeatureDefinition[];
  /** The services to fix (pinned ones left out), with what each lacks. */
  fixes: readonly ServiceFix[];
  onImport: (values: { serviceId: string; key: string; value: FixValue }[]) => void;
}) {
  const [busy, setBusy] = useState<"export" | "import" | null>(null);
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [status, setStatus] = useState<string | null>(null);

  const exportCsv = async () => {
    setBusy("export");
    try {
      const services = new Map(
        (await listAllServices(clientId, domainId, { status: "active" })).map((s) => [
          s.service_id,
          s,
        ]),
      );
      const rows = fixes.flatMap((fix) =>
        fix.fields.map((field) => {
          const service = services.get(fix.serviceId);
          const current = service?.provided_features[field.key];
          return {
            service_id: fix.serviceId,
            name: service?.name ?? null,
            feature: field.key,
            problem: field.problem.kind,
            current_value: current === undefined ? "" : describeValue(current),
          };
        }),
      );
      downloadCsv(`blocking-services-${target.replace("@", "-")}.csv`, blockersCsv(rows, contract));
      setStatus(
        `Exported ${formatCount(rows.length)} rows for ${formatCount(fixes.length)} services.`,
      );
    } catch (error) {
      setStatus(`Could not export: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const importCsv = async (file: File) => {
    setBusy("import");
    setProblems([]);
    setStatus(null);
    try {
      const [table, services] = await Promise.all([
        readCsv(file),
        listAllServices(clientId, domainId, { status: "all" }),
      ]);
      const result = validateImport(table, {
        target,
        contract,
        services: new Map(services.map((s) => [s.service_id, s.status])),
      });
      // Only what the blocking services lack can join this change; other values belong on the services page.
      const asked = new Map(fixes.map((f) => [f.serviceId, new Set(f.fields.map((x) => x.key))]));
      const notAsked = result.updates.flatMap((u: ServiceUpdate) =>
        Object.keys(u.static_features)
          .filter((key) => !asked.get(u.service_id)?.has(key))
          .map((key) => ({ service_id: u.service_id, key })),
      );
      const all: ImportProblem[] = [
        ...result.problems,
        ...notAsked.map(({ service_id, key }) => ({
          line: 0,
          service_id,
          feature: key,
          message: `"${service_id}" doesn't block this change on ${key}: set it on the services page instead`,
        })),
      ];
      if (all.length > 0) {
        setProblems(all);
        setStatus(
          `Nothing imported: ${formatCount(all.length)} ${all.length === 1 ? "row needs" : "rows need"} fixing in ${file.name}.`,
        );
        return;
      }
      onImport(
        result.updates.flatMap((u) =>
          Object.entries(u.static_features).map(([key, value]) => ({
            serviceId: u.service_id,
            key,
            value: typeof value === "boolean" ? value : String(value),
          })),
        ),
      );
      setStatus(
        `Imported ${formatCount(result.rows)} values for ${formatCount(result.updates.length)} services from ${file.name}; the preview checks them.`,
      );
    } catch (error) {
      setStatus(`Could not import: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section
      aria-labelledby="csv-heading"
      className="space-y-2 rounded-md border border-border p-3"
    >
      <h3 id="csv-heading" className="text-sm font-semibold">
        Fix them from a spreadsheet
      </h3>
      <p className="text-sm text-fg-muted">
        Export the blocking services (one row per feature to fix, with the expected type and the
        current value), fill in the <code>value</code> column, and import the file. A file of{" "}
        <code>service_id,feature,value</code> or of <code>service_id</code> and one column per
        feature works too.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" disabled={busy !== null} onClick={() => void exportCsv()}>
          {busy === "export" ? "Exporting…" : "Export blocking services (CSV)"}
        </Button>
        <CsvFileField label="Import values (CSV)" disabled={busy !== null} onFile={importCsv} />
      </div>
      <p role="status" aria-live="polite" className="text-sm">
        {busy === "import" ? "Reading and checking the file…" : status}
      </p>
      <CsvProblems problems={problems} />
    </section>
  );
}
