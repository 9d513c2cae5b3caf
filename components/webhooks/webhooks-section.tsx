"use client";
// The client page's Webhooks section (admins): the client's webhooks, add (secret shown once), delete with a
// confirmation, and one webhook's deliveries with their status, response code and next retry, each retryable now.
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { useChangeReason } from "@/components/audit/reason-field";
import { ConfirmDialog } from "@/components/ui/dialog";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { messageOf } from "@/components/ui/server-errors";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import {
  useDeleteWebhook,
  useDeliveries,
  useRetryDelivery,
  useWebhooks,
  type Webhook,
  type WebhookDelivery,
} from "@/lib/browser/queries/webhooks";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { CreateWebhookDialog } from "./create-webhook-dialog";

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
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const changeReason = useChangeReason(
    `webhook-delete-reason-${webhook.id}`,
    useReasonRequired(clientId),
  );
  const onConfirm = async () => {
    setError(null);
    if (!changeReason.check()) return;
    try {
      await remove.mutateAsync({ webhookId: webhook.id, reason: changeReason.reason });
      toast.success(`Deleted the webhook to ${webhook.url}`);
      setConfirming(false);
    } catch (e) {
      setError(messageOf(e));
    }
  };
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
            onClick={() => setConfirming(true)}
            aria-label={`Delete webhook to ${webhook.url}`}
          >
            Delete
          </Button>
        </span>
        <ConfirmDialog
          open={confirming}
          onOpenChange={(open) => {
            setConfirming(open);
            if (!open) setError(null);
          }}
          title="Delete this webhook?"
          description={`Nothing more is sent to ${webhook.url}, and its deliveries are forgotten. This can't be undone.`}
          error={error}
          confirmLabel="Delete webhook"
          onConfirm={onConfirm}
          busy={remove.isPending}
        >
          {changeReason.field}
        </ConfirmDialog>
      </Td>
    </Tr>
  );
}

const STATUS_TONE = { pending: "warn", succeeded: "ok", failed: "danger" } as const;

function DeliveriesCard({ clientId, webhook }: { clientId: string; webhook: Webhook }) {
  const deliveries = useDeliveries(clientId, webhook.id);
  return (
    <QueryTableCard
      headingId="deliveries-heading"
      title="Deliveries"
      description={`Newest first, for ${webhook.url}. Each keeps its id (X-Webhook-Id) on every retry.`}
      query={deliveries}
      loadingLabel="Loading deliveries…"
      actionsColumn
      empty={
        <EmptyState title="No deliveries yet">
          A delivery appears here as soon as a change is committed in one of the client&apos;s
          domains.
        </EmptyState>
      }
      columns={["Change", "Status", "Attempts", "Response", "Next retry", "Last attempt"]}
    >
      {(items) =>
        items.map((d) => (
          <DeliveryRow key={d.id} clientId={clientId} webhookId={webhook.id} delivery={d} />
        ))
      }
    </QueryTableCard>
  );
}

function DeliveryRow({
  clientId,
  webhookId,
  delivery,
}: {
  clientId: string;
  webhookId: string;
  delivery: WebhookDelivery;
}) {
  const retry = useRetryDelivery(clientId, webhookId);
  const label = `${delivery.domain_id} #${delivery.cursor}`;
  const onRetry = async () => {
    try {
      await retry.mutateAsync(delivery.id);
      toast.success(`Delivery ${label} queued to be sent now`);
    } catch (e) {
      toast.error(messageOf(e));
    }
  };
  return (
    <Tr>
      <Td>
        <span className="font-mono text-xs">{label}</span>
        <div className="font-mono text-xs text-fg-muted">{delivery.id}</div>
      </Td>
      <Td>
        <Badge tone={STATUS_TONE[delivery.status]}>{delivery.status}</Badge>
      </Td>
      <Td className="tabular-nums">{delivery.attempt}</Td>
      <Td>
        {delivery.response_code !== null ? (
          <span className="font-mono">{delivery.response_code}</span>
        ) : (
          <span className="text-fg-muted">—</span>
        )}
        {delivery.error ? (
          <div className="max-w-64 text-xs break-words text-fg-muted">{delivery.error}</div>
        ) : null}
      </Td>
      <Td className="whitespace-nowrap">
        {delivery.next_retry_at ? (
          <DateTime value={delivery.next_retry_at} />
        ) : (
          <span className="text-fg-muted">—</span>
        )}
      </Td>
      <Td className="whitespace-nowrap">
        {delivery.last_attempt_at ? (
          <DateTime value={delivery.last_attempt_at} />
        ) : (
          <span className="text-fg-muted">Not yet</span>
        )}
      </Td>
      <Td className="text-right">
        <Button
          size="sm"
          onClick={onRetry}
          disabled={retry.isPending}
          aria-label={`Retry delivery ${label} now`}
        >
          Retry now
        </Button>
      </Td>
    </Tr>
  );
}
