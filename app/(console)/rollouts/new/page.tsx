// /rollouts/new: plan a rollout in waves, preview every wave's blocking services, start it.
import type { Metadata } from "next";
import { NewRolloutPage } from "@/components/rollouts/new-rollout";

export const metadata: Metadata = { title: "New rollout" };

export default function NewRolloutRoute() {
  return <NewRolloutPage />;
}
