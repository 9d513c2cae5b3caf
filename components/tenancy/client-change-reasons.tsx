"use client";
// An admin's switch for "every change to this client's data needs a reason". The switch itself is a change:
// recorded in the audit log, and switching it on already needs a reason.
import { useState } from "react";
import { useChangeReason } from "@/components/audit/reason-field";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SettingSave, useSaveClientSetting } from "./setting-save";
import { Switch } from "@/components/ui/switch";
import type { Client } from "@/lib/browser/api-client/types";

export function ClientChangeReasons({ client }: { client: Client }) {
  const [required, setRequired] = useState(client.require_change_reason);
  // Switching it on is the first change the new rule covers.
  const changeReason = useChangeReason(
    "client-settings-reason",
    required || client.require_change_reason,
  );
  const changed = required !== client.require_change_reason;

  const { save, error, busy } = useSaveClientSetting(client.client_id, changeReason, (saved) =>
    saved.require_change_reason
      ? `Every change to ${saved.client_id} now needs a reason`
      : `Changes to ${saved.client_id} no longer need a reason`,
  );

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
            onSave={() => void save({ require_change_reason: required })}
            busy={busy}
            error={error}
          />
        </CardBody>
      </Card>
    </div>
  );
}
