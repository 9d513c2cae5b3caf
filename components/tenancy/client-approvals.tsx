"use client";
// An admin's setting for "changes to this client need approvals" (four eyes): how many, and whether the author's
// own approval counts. Above 0, the editor's Save becomes "Request review" and direct writes are refused.
import { useState } from "react";
import { useChangeReason } from "@/components/audit/reason-field";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SettingSave, useSaveClientSetting } from "./setting-save";
import { Label, Select } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import type { Client } from "@/lib/browser/api-client/types";

export function ClientApprovals({ client }: { client: Client }) {
  const [required, setRequired] = useState(client.change_policy.required_approvals);
  const [self, setSelf] = useState(client.change_policy.allow_self_approval);
  const changeReason = useChangeReason("client-approvals-reason", client.require_change_reason);
  const changed =
    required !== client.change_policy.required_approvals ||
    self !== client.change_policy.allow_self_approval;

  const { save, error, busy } = useSaveClientSetting(client.client_id, changeReason, (saved) =>
    saved.change_policy.required_approvals > 0
      ? `Changes to ${saved.client_id} now need ${saved.change_policy.required_approvals} approval(s)`
      : `Changes to ${saved.client_id} no longer need approvals`,
  );

  return (
    <div role="region" aria-labelledby="client-approvals-heading" className="mt-4">
      <Card>
        <CardHeader
          id="client-approvals-heading"
          title="Approvals"
          description="How many other people must approve a change before it reaches this client's assignments and services (a domain may have its own setting over the API)."
        />
        <CardBody className="space-y-3">
          <div className="flex items-center gap-2">
            <Label htmlFor="client-approvals-count">Approvals required</Label>
            <Select
              id="client-approvals-count"
              value={String(required)}
              onChange={(e) => setRequired(Number(e.target.value))}
            >
              {[0, 1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n === 0 ? "none" : n}
                </option>
              ))}
            </Select>
          </div>
          <label className="flex items-center gap-3 text-sm font-medium">
            <Switch checked={self} onChange={(e) => setSelf(e.target.checked)} />
            The author&apos;s own approval counts
          </label>
          <SettingSave
            changed={changed}
            reasonField={changeReason.field}
            onSave={() =>
              void save({
                change_policy: { required_approvals: required, allow_self_approval: self },
              })
            }
            busy={busy}
            error={error}
          />
        </CardBody>
      </Card>
    </div>
  );
}
