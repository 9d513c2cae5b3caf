"use client";
// A pinned service (kept on its version by a domain default's change) in the services table: the mark, and the
// way to unpin it once it is fixed: archive its own assignment for the key, so the domain default applies again
// (refused with the server's words while the service still doesn't satisfy that default's contract).
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ServiceEffectiveEntry } from "@/lib/browser/api-client/types";
import { keys } from "@/lib/browser/queries/keys";
import { putAssignment } from "@/lib/browser/queries/assignments";

export function PinnedMark({
  clientId,
  domainId,
  serviceId,
  assignmentKey,
  effective,
  canUnpin,
}: {
  clientId: string;
  domainId: string;
  serviceId: string;
  assignmentKey: string;
  effective: ServiceEffectiveEntry;
  canUnpin: boolean;
}) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const unpin = async () => {
    setBusy(true);
    try {
      await putAssignment(
        { clientId, domainId, serviceId },
        {
          key: assignmentKey,
          body: {
            model_id: effective.model_id,
            model_version: effective.model_version,
            status: "archived",
          },
          ifMatch: `"${effective.assignment_id}"`,
        },
      );
      toast.success(`Unpinned ${serviceId}: it follows the domain default for “${assignmentKey}”`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.services.all(clientId, domainId) }),
        queryClient.invalidateQueries({ queryKey: ["assignments"] }),
      ]);
    } catch (error) {
      toast.error(`Could not unpin ${serviceId}: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex items-center gap-1.5">
      <span title={`Pinned by domain revision ${effective.pinned_by}`}>
        <Badge tone="warn">pinned</Badge>
      </span>
      {canUnpin ? (
        <Button size="sm" variant="ghost" disabled={busy} onClick={() => void unpin()}>
          Unpin
          <span className="sr-only">
            {" "}
            {serviceId} ({assignmentKey})
          </span>
        </Button>
      ) : null}
    </span>
  );
}
