// "example-model@2.0.0", the way the console names a model version everywhere.
import { cn } from "@/components/ui/cn";

export function ModelVersion({
  modelId,
  version,
  className,
}: {
  modelId: string;
  version: string;
  className?: string;
}) {
  return (
    <span className={cn("font-mono text-[0.8125rem]", className)}>
      {modelId}
      <span className="text-fg-muted">@</span>
      {version}
    </span>
  );
}
