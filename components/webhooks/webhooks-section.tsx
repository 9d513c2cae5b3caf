"use client";
// The client page's Webhooks section (admins): the client's webhooks, add (secret shown once), delete with a
// confirmation, and one webhook's deliveries with their status, response code and next retry, each retryable now.
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { useConfirmWithReason } from "@/components/audit/use-confirm-with-reason";
import { ConfirmDialog } from "@/components/ui/dialog";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { useDeleteWebhook, useWebhooks, type Webhook } from "@/lib/browser/queries/webhooks";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { CreateWebhookDialog } from "./create-webhook-dialog";
import { DeliveriesCard } from "./deliveries-card";

export function WebhooksSection({ clientId }: { clientId: string }) {
  const webhooks = useWebhooks(clientId);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<Webhook | null>(null);
  const selected = shown && webhooks.data?.items.find((w) => w.id === shown.id);
  return (
    <>
      <QueryTableCard
        headingId="webhooks-heading"
        title="Webhooks"
        description="Receivers that are sent every change to this client's domains, signed and in commit order per domain."
        query={webhooks}
        loadingLabel="Loading webhooks…"
        actionsColumn
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add webhook
          </Button>
        }
        empty={
          <EmptyState title="No webhooks yet">
            Add one to have this client&apos;s changes POSTed to a URL as they commit.
          </EmptyState>
        }
        columns={["URL", "Changes", "Created"]}
      >
        {(items) =>
          items.map((webhook) => (
            <WebhookRow
              key={webhook.id}
              clientId={clientId}
              webhook={webhook}
              shown={selected?.id === webhook.id}
              onShow={() => setShown(selected?.id === webhook.id ? null : webhook)}
            />
          ))
        }
      </QueryTableCard>
      <CreateWebhookDialog clientId={clientId} open={adding} onOpenChange={setAdding} />
      {selected ? <DeliveriesCard clientId={clientId} webhook={selected} /> : null}
    </>
  );
}

function WebhookRow({
  clientId,
  webhook,
  shown,
  onShow,
}: {
  clientId: string;
  webhook: Webhook;
  shown: boolean;
  onShow: () => void;
}) {
  const remove = useDeleteWebhook(clientId);
  const deleting = useConfirmWithReason<Webhook>(
    `webhook-delete-reason-${webhook.id}`,
    useReasonRequired(clientId),
  );
  const onConfirm = () =>
    deleting.confirm(async (deleted, reason) => {
      await remove.mutateAsync({ webhookId: deleted.id, reason });
      toast.success(`Deleted the webhook to ${deleted.url}`);
    });
  return (
    <Tr>
      <Td>
        <span className="font-mono text-xs break-all">{webhook.url}</span>
        {webhook.description ? (
          <div className="text-xs text-fg-muted">{webhook.description}</div>
        ) : null}
      </Td>
      <Td>
        <span className="flex flex-wrap gap-1">
          {webhook.events.map((e) => (
            <Badge key={e} className="font-mono">
              {e}
            </Badge>
          ))}
        </span>
      </Td>
      <Td className="whitespace-nowrap">
        <DateTime value={webhook.created_at} />
        <div className="text-xs text-fg-muted">by {webhook.created_by}</div>
      </Td>
      <Td className="text-right whitespace-nowrap">
        <span className="inline-flex gap-2">
          <Button size="sm" onClick={onShow} aria-pressed={shown}>
            {shown ? "Hide deliveries" : "Deliveries"}
          </Button>
          <Button
            size="sm"
            variant="danger"
            onClick={() => deleting.ask(webhook)}
            aria-label={`Delete webhook to ${webhook.url}`}
          >
            Delete
          </Button>
        </span>
        <ConfirmDialog
          open={deleting.asking !== null}
          onOpenChange={(open) => {
            if (!open) deleting.dismiss();
          }}
          title="Delete this webhook?"
          description={`Nothing more is sent to ${webhook.url}, and its deliveries are forgotten. This can't be undone.`}
          error={deleting.error}
          confirmLabel="Delete webhook"
          onConfirm={onConfirm}
          busy={remove.isPending}
        >
          {deleting.reasonField}
        </ConfirmDialog>
      </Td>
    </Tr>
  );
}
