// A change request's status as a badge, in words.
import { Badge } from "@/components/ui/badge";
import type { ChangeRequestSummary } from "@/lib/browser/api-client/types";

const TONES = {
  open: "accent",
  approved: "ok",
  applied: "neutral",
  rejected: "danger",
  withdrawn: "neutral",
  stale: "warn",
  failed: "danger",
} as const;

export function RequestStatus({ status }: { status: ChangeRequestSummary["status"] }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}
