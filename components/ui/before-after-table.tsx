// One before/after table for every diff the console shows (revision history, service patches, audit entries).
import type { ReactNode } from "react";

type BeforeAfterRow = {
  key: string;
  label: ReactNode;
  /** null: there was no value before. */
  before: string | null;
  /** null: there is no value after. */
  after: string | null;
};

export function BeforeAfterTable({
  caption,
  labelHeader = "Field",
  rows,
  noBefore = "(none)",
  noAfter = "(removed)",
}: {
  caption: string;
  labelHeader?: string;
  rows: BeforeAfterRow[];
  noBefore?: string;
  noAfter?: string;
}) {
  return (
    <table className="w-full max-w-4xl table-fixed text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="text-left text-fg-muted">
          <th scope="col" className="w-1/4 py-1 pr-4 font-medium">
            {labelHeader}
          </th>
          <th scope="col" className="py-1 pr-4 font-medium">
            Before
          </th>
          <th scope="col" className="py-1 font-medium">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-t border-border align-top">
            <th scope="row" className="py-1 pr-4 text-left font-mono font-normal break-all">
              {row.label}
            </th>
            <td className="py-1 pr-4 font-mono break-all">
              {row.before === null ? (
                <span className="font-sans text-fg-muted">{noBefore}</span>
              ) : (
                <del className="text-danger no-underline">{row.before}</del>
              )}
            </td>
            <td className="py-1 font-mono break-all">
              {row.after === null ? (
                <span className="font-sans text-fg-muted">{noAfter}</span>
              ) : (
                <ins className="text-ok no-underline">{row.after}</ins>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
