// /models/{m}/versions/{v}: one version's frozen contract, compared with another (?from=).
import type { Metadata } from "next";
import { Suspense } from "react";
import { VersionPage } from "@/components/registry/version-page";
import { LoadingState } from "@/components/ui/states";

type Props = { params: Promise<{ modelId: string; version: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { modelId, version } = await params;
  return { title: `${modelId} ${version} · Model registry` };
}

export default async function VersionRoute({ params }: Props) {
  const { modelId, version } = await params;
  return (
    <Suspense fallback={<LoadingState />}>
      <VersionPage modelId={modelId} version={version} />
    </Suspense>
  );
}
