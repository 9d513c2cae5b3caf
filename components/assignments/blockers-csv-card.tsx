"use client";
// CSV out and in for the blocking services of a domain change: export what each one lacks or has wrong (to fill
// in elsewhere), import the filled file (service_id,feature,value, or one column per feature). Every row is
// checked against the version's contract and the domain's services before anything joins the change; bad rows
// are listed by line, service, feature and why, and then nothing is imported.
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { readCsvFile } from "@/lib/browser/csv-file";
import { listAllServices } from "@/lib/browser/queries/services";
import {
  blockersCsv,
  validateImport,
  type ImportProblem,
  type ServiceUpdate,
} from "@/lib/features/blockers-csv";
import { describeValue } from "@/lib/features/describe-value";
import type { FeatureDefinition } from "@/lib/features/types";
import { formatCount } from "./blocker-groups";
import type { FixValue, ServiceFix } from "./service-repairs";

const SHOWN_PROBLEMS = 50;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

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
  const fileRef = useRef<HTMLInputElement>(null);
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
      download(`blocking-services-${target.replace("@", "-")}.csv`, blockersCsv(rows, contract));
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
        readCsvFile(file),
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
      if (fileRef.current) fileRef.current.value = "";
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
        <label className="inline-flex items-center gap-2 text-sm">
          <span className="font-medium">Import values (CSV)</span>
          <input
            ref={fileRef}
            type="file"
            accept=".csv,text/csv"
            disabled={busy !== null}
            className="text-sm"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importCsv(file);
            }}
          />
        </label>
      </div>
      <p role="status" aria-live="polite" className="text-sm">
        {busy === "import" ? "Reading and checking the file…" : status}
      </p>
      {problems.length > 0 ? (
        <Alert tone="danger" title="Rows to fix before importing">
          <ul aria-label="Rows to fix" className="mt-1 space-y-0.5 text-sm">
            {problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <li key={i}>
                {p.line > 0 ? `Line ${p.line}` : "Row"}
                {p.service_id ? `, ${p.service_id}` : ""}
                {p.feature ? `, ${p.feature}` : ""}: {p.message}
              </li>
            ))}
          </ul>
          {problems.length > SHOWN_PROBLEMS ? (
            <p className="mt-1 text-sm">
              and {formatCount(problems.length - SHOWN_PROBLEMS)} more.
            </p>
          ) : null}
        </Alert>
      ) : null}
    </section>
  );
}
