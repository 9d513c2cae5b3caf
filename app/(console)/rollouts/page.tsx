// /rollouts: every rollout the signed-in person may see.
import type { Metadata } from "next";
import { RolloutListPage } from "@/components/rollouts/rollout-list";

export const metadata: Metadata = { title: "Rollouts" };

export default function RolloutsRoute() {
  return <RolloutListPage />;
}
