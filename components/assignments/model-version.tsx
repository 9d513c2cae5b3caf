// "example-model@2.0.0", the way the console names a model version everywhere.
import { cn } from "@/components/ui/cn";

/** A model version as the console shows it (plain, or as a link: components/tenancy/model-version-link.tsx). */
export type ModelVersionProps = { modelId: string; version: string; className?: string };

export function ModelVersion({ modelId, version, className }: ModelVersionProps) {
  return (
    <span className={cn("font-mono text-[0.8125rem]", className)}>
      {modelId}
      <span className="text-fg-muted">@</span>
      {version}
    </span>
  );
}
