"use client";
// The console's one CSV mechanism for static features, shared by the editor's "Fix them from a spreadsheet" and the
// services page's "Import static features (CSV)": the file field (read in chunks by papaparse, which loads only
// when a file is picked), the all-or-nothing list of rows to fix, and the download of an exported file.
import { useRef } from "react";
import { Alert } from "@/components/ui/alert";
import type { CsvTable, ImportProblem } from "@/lib/features/blockers-csv";
import { formatCount } from "@/lib/shared/format-count";

const SHOWN_PROBLEMS = 50;

/** Reads a picked CSV file; the parser (~7 kB gzip) is fetched the first time, not with the page. */
export async function readCsv(file: File): Promise<CsvTable> {
  const { readCsvFile } = await import("@/lib/browser/csv-file");
  return readCsvFile(file);
}

/** Offers `text` as a file download named `name`. */
export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** A CSV file input; it is emptied once `onFile` is done, so the same file can be picked again. */
export function CsvFileField({
  label,
  disabled,
  onFile,
}: {
  label: string;
  disabled: boolean;
  onFile: (file: File) => Promise<void>;
}) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <span className="font-medium">{label}</span>
      <input
        ref={ref}
        type="file"
        accept=".csv,text/csv"
        disabled={disabled}
        className="text-sm"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          void onFile(file).finally(() => {
            if (ref.current) ref.current.value = "";
          });
        }}
      />
    </label>
  );
}

/** The rows that stop an import, by line (or "Row" for a check of the whole file), service and feature. */
export function CsvProblems({ problems }: { problems: readonly ImportProblem[] }) {
  if (problems.length === 0) return null;
  return (
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
        <p className="mt-1 text-sm">and {formatCount(problems.length - SHOWN_PROBLEMS)} more.</p>
      ) : null}
    </Alert>
  );
}
