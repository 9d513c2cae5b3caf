"use client";
// The blocking services of one change of a request, fixed from the request page: the editor's repair model
// (service-repairs.ts, useRepairs) and its per-service inputs (ServiceFixer), saved by editing the request — the
// change's service_updates get the typed features, the impact is decided again, and every approval stops counting.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useRepairs, useShownFixes } from "@/components/assignments/editor/use-repairs";
import { ServiceFixer } from "@/components/assignments/service-fixer";
import { fixInputId, serviceUpdatesOf, targetKey } from "@/components/assignments/service-repairs";
import { paths } from "@/components/paths";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FieldError } from "@/components/ui/input";
import { messageOf } from "@/components/ui/server-errors";
import type { ChangeRequest, ChangeRequestCreateBody } from "@/lib/browser/api-client/types";
import { useEditChangeRequest } from "@/lib/browser/queries/change-requests";
import { versionQuery } from "@/lib/browser/queries/registry";

type Change = ChangeRequest["changes"][number];
type ServiceUpdate = { service_id: string; static_features: Record<string, unknown> };

/** The change's body with these features added to its service_updates (merged per service). */
export function withServiceUpdates(
  body: Change["body"],
  updates: readonly ServiceUpdate[],
): Change["body"] {
  const merged = new Map<string, ServiceUpdate>();
  for (const u of (body.service_updates ?? []) as ServiceUpdate[]) merged.set(u.service_id, u);
  for (const u of updates) {
    const before = merged.get(u.service_id);
    merged.set(u.service_id, {
      service_id: u.service_id,
      static_features: { ...(before?.static_features ?? {}), ...u.static_features },
    });
  }
  return { ...body, service_updates: [...merged.values()] };
}

/** The request's changes as a PATCH takes them, with change `index`'s body replaced. */
function changesWith(
  request: ChangeRequest,
  index: number,
  body: Change["body"],
): ChangeRequestCreateBody["changes"] {
  return request.changes.map((c, i) => ({
    domain_id: c.domain_id,
    ...(c.service_id ? { service_id: c.service_id } : {}),
    assignment_key: c.assignment_key,
    body: (i === index ? body : c.body) as ChangeRequestCreateBody["changes"][number]["body"],
    ...(c.if_match ? { if_match: c.if_match } : {}),
  }));
}

export function FixBlockers({
  clientId,
  request,
  index,
}: {
  clientId: string;
  request: ChangeRequest;
  index: number;
}) {
  const change = request.changes[index]!;
  const modelId = String(change.body.model_id);
  const version = String(change.body.model_version);
  const target = targetKey(modelId, version);
  const contract = useQuery(versionQuery(modelId, version));
  const repairs = useRepairs(target, contract.data?.features);
  const fixes = useShownFixes(
    repairs.repairs,
    target,
    contract.data?.features,
    change.impact.blocking_services,
  );
  const edit = useEditChangeRequest(clientId, request.id);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `fix-blockers-${index}`;

  async function save() {
    setSubmitted(true);
    setError(null);
    const incomplete = fixes.flatMap((f) =>
      // Features another key's contract needs are fixed on the service's page, not here.
      f.fields
        .filter((field) => field.definition && !field.parsed)
        .map((field) => fixInputId(f.serviceId, field.key)),
    );
    if (incomplete.length > 0) {
      setError("Fill in every highlighted feature with a valid value first.");
      document.getElementById(incomplete[0]!)?.focus();
      return;
    }
    try {
      const edited = await edit.mutateAsync({
        changes: changesWith(
          request,
          index,
          withServiceUpdates(change.body, serviceUpdatesOf(fixes)),
        ),
      });
      const left = edited.changes[index]?.impact.blocking_services.length ?? 0;
      toast.success(
        left === 0
          ? `Change request #${edited.number} edited: nothing blocks it now; it needs a new review`
          : `Change request #${edited.number} edited: ${left} services still block it`,
      );
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <Card>
      <CardHeader
        id={headingId}
        title="Fix the blocking services"
        description="Enter what each service lacks for this version. Saving edits the request: its impact is decided again, and approvals given so far stop counting."
      />
      <CardBody className="space-y-3">
        {contract.isPending ? (
          <p className="text-sm text-fg-muted">Loading the contract of this version…</p>
        ) : null}
        {fixes.map((fix) => (
          <ServiceFixer
            key={fix.serviceId}
            fix={fix}
            state={fix.complete ? "fixed" : "blocking"}
            showErrors={submitted}
            serviceHref={paths.service(clientId, change.domain_id, fix.serviceId)}
            onChange={repairs.setFix}
          />
        ))}
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="primary"
            busy={edit.isPending}
            disabled={!contract.data}
            onClick={() => void save()}
          >
            Save fixes to the request
          </Button>
        </div>
        <FieldError message={error} />
      </CardBody>
    </Card>
  );
}
