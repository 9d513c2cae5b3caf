// The badge of a rollout's or a wave's status.
import { Badge } from "@/components/ui/badge";

type Tone = "neutral" | "ok" | "danger" | "warn" | "accent";
const TONES: Record<string, Tone> = {
  running: "accent",
  paused: "warn",
  stopped: "danger",
  completed: "ok",
  aborted: "neutral",
  rolled_back: "neutral",
  pending: "neutral",
  awaiting_approval: "warn",
  applied: "accent",
  failed: "danger",
};

export function RolloutStatus({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{status.replace(/_/g, " ")}</Badge>;
}
