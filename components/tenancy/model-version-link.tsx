import Link from "next/link";
import type { ModelVersionProps } from "@/components/assignments/model-version";
import { paths } from "@/components/paths";

/** `model@version`, linking to the version's page in the registry (its contract). */
export function ModelVersionLink({ modelId, version, className }: ModelVersionProps) {
  return (
    <Link
      href={paths.modelVersion(modelId, version)}
      className={className ?? "font-mono text-accent hover:underline"}
    >
      {modelId}@{version}
    </Link>
  );
}
