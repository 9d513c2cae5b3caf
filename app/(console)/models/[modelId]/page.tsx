// /models/{m}: one model's versions, and "Register version".
import type { Metadata } from "next";
import { ModelPage } from "@/components/registry/model-page";

type Props = { params: Promise<{ modelId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { modelId } = await params;
  return { title: `${modelId} · Model registry` };
}

export default async function ModelRoute({ params }: Props) {
  const { modelId } = await params;
  return <ModelPage modelId={modelId} />;
}
