// A version's feature contract as a table a person can read: one row per feature.
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { FeatureDefinition } from "@/lib/features/types";
import { MarkdownText } from "@/components/ui/markdown-text";

export function ContractTable({
  features,
  labelledBy,
}: {
  features: FeatureDefinition[];
  labelledBy?: string;
}) {
  return (
    <Table aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <Th>Key</Th>
          <Th>Type</Th>
          <Th>Required</Th>
          <Th>Default</Th>
          <Th>Allowed values</Th>
          <Th>Description</Th>
        </tr>
      </thead>
      <tbody>
        {features.map((f) => {
          const hasDefault = f.default !== undefined && f.default !== null;
          return (
            <Tr key={f.key}>
              <Td className="font-mono font-medium">{f.key}</Td>
              <Td>
                <Badge>{f.type}</Badge>
              </Td>
              <Td>
                {f.required ? (
                  <span className="flex flex-wrap items-center gap-1.5">
                    <span className="font-medium">Required</span>
                    {hasDefault ? null : <Badge tone="warn">services must provide it</Badge>}
                  </span>
                ) : (
                  <span className="text-fg-muted">Optional</span>
                )}
              </Td>
              <Td className="font-mono">
                {hasDefault ? (
                  JSON.stringify(f.default)
                ) : (
                  <span className="font-sans text-fg-muted">None</span>
                )}
              </Td>
              <Td>
                {f.allowed_values?.length ? (
                  <span className="flex flex-wrap gap-1">
                    {f.allowed_values.map((v) => (
                      <code key={v} className="rounded bg-muted px-1.5 py-0.5 text-xs">
                        {v}
                      </code>
                    ))}
                  </span>
                ) : (
                  <span className="text-fg-muted">—</span>
                )}
              </Td>
              <Td className="max-w-md text-fg-muted">
                {f.description ? <MarkdownText>{f.description}</MarkdownText> : "—"}
              </Td>
            </Tr>
          );
        })}
      </tbody>
    </Table>
  );
}
