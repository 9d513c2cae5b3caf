"use client";
// Where the domain requires approvals, Save becomes "Request review": the change request's title, description and
// an optional time to apply it.
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Input, Label, Textarea } from "@/components/ui/input";

type Value = { title: string; description: string; applyAt: string };

export function ReviewRequestCard({
  requiredApprovals,
  value,
  onChange,
}: {
  requiredApprovals: number;
  value: Value;
  onChange: (value: Value) => void;
}) {
  return (
    <Card>
      <CardHeader
        title="Request review"
        description={`This domain requires ${requiredApprovals} approval${requiredApprovals === 1 ? "" : "s"} from someone else: saving opens a change request that shows this change and its impact to reviewers.`}
      />
      <CardBody className="space-y-3">
        <div className="space-y-1">
          <Label htmlFor="cr-title">Title</Label>
          <Input
            id="cr-title"
            value={value.title}
            placeholder="Say what the change does (default: the key and the version)"
            maxLength={200}
            onChange={(e) => onChange({ ...value, title: e.target.value })}
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor="cr-description">Description</Label>
          <Textarea
            id="cr-description"
            rows={2}
            value={value.description}
            onChange={(e) => onChange({ ...value, description: e.target.value })}
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor="cr-apply-at">Apply at (optional)</Label>
          <Input
            id="cr-apply-at"
            type="datetime-local"
            value={value.applyAt}
            onChange={(e) => onChange({ ...value, applyAt: e.target.value })}
          />
          <p className="text-xs text-fg-muted">
            Shown on the request; the author applies it from the request page once approved.
          </p>
        </div>
      </CardBody>
    </Card>
  );
}
