import { Badge } from "@/components/ui/badge";

export function DomainStatusBadge({ status }: { status: "active" | "inactive" }) {
  return status === "active" ? (
    <Badge tone="ok">Active</Badge>
  ) : (
    <Badge tone="warn">Inactive</Badge>
  );
}

export function ServiceStatusBadge({ status }: { status: "active" | "departed" }) {
  return status === "active" ? (
    <Badge tone="ok">Active</Badge>
  ) : (
    <Badge tone="neutral">Departed</Badge>
  );
}
