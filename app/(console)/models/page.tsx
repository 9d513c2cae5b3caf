// /models: the model registry.
import type { Metadata } from "next";
import { ModelsPage } from "@/components/registry/models-page";

export const metadata: Metadata = { title: "Model registry" };

export default function ModelsRoute() {
  return <ModelsPage />;
}
