"use client";
// An admin's switch for "every change to this client's data needs a reason". The switch itself is a change:
// recorded in the audit log, and switching it on already needs a reason.
import { useState } from "react";
import { toast } from "sonner";
import { useChangeReason } from "@/components/audit/reason-field";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SettingSave } from "./setting-save";
import { Switch } from "@/components/ui/switch";
import type { Client } from "@/lib/browser/api-client/types";
import { usePatchClient } from "@/lib/browser/queries/tenancy";

export function ClientChangeReasons({ client }: { client: Client }) {
  const patch = usePatchClient(client.client_id);
  const [required, setRequired] = useState(client.require_change_reason);
  const [error, setError] = useState<string | null>(null);
  // Switching it on is the first change the new rule covers.
  const changeReason = useChangeReason(
    "client-settings-reason",
    required || client.require_change_reason,
  );
  const changed = required !== client.require_change_reason;

  const save = async () => {
    setError(null);
    if (!changeReason.check()) return;
    try {
      const saved = await patch.mutateAsync({
        patch: { require_change_reason: required },
        reason: changeReason.reason,
      });
      changeReason.reset();
      toast.success(
        saved.require_change_reason
          ? `Every change to ${saved.client_id} now needs a reason`
          : `Changes to ${saved.client_id} no longer need a reason`,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div role="region" aria-labelledby="client-reasons-heading" className="mt-4">
      <Card>
        <CardHeader
          id="client-reasons-heading"
          title="Change reasons"
          description="When on, every change to this client's domains, services and assignments must say why (kept in the audit log); the API refuses a write without one."
        />
        <CardBody className="space-y-3">
          <label className="flex items-center gap-3 text-sm font-medium">
            <Switch
              checked={required}
              onChange={(e) => setRequired(e.target.checked)}
              aria-describedby="client-settings-state"
            />
            Every change needs a reason
          </label>
          <p id="client-settings-state" className="text-xs text-fg-muted">
            Now: {client.require_change_reason ? "required" : "optional"}.
          </p>
          <SettingSave
            changed={changed}
            reasonField={changeReason.field}
            onSave={() => void save()}
            busy={patch.isPending}
            error={error}
          />
        </CardBody>
      </Card>
    </div>
  );
}
