// /rollouts/{id}: a rollout's waves, their state and synced share (live), and its actions.
import type { Metadata } from "next";
import { RolloutPage } from "@/components/rollouts/rollout-page";

type Props = { params: Promise<{ rolloutId: string }> };

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutRoute({ params }: Props) {
  const { rolloutId } = await params;
  return <RolloutPage id={decodeURIComponent(rolloutId)} />;
}
