"use client";
// One webhook's deliveries, newest first: each change's status, attempts, response and next retry, retryable now.
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTimeOr } from "@/components/ui/date-time";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { messageOf } from "@/components/ui/server-errors";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import {
  useDeliveries,
  useRetryDelivery,
  type Webhook,
  type WebhookDelivery,
} from "@/lib/browser/queries/webhooks";

const STATUS_TONE = { pending: "warn", succeeded: "ok", failed: "danger" } as const;

export function DeliveriesCard({ clientId, webhook }: { clientId: string; webhook: Webhook }) {
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
        <DateTimeOr value={delivery.next_retry_at} none="—" />
      </Td>
      <Td className="whitespace-nowrap">
        <DateTimeOr value={delivery.last_attempt_at} none="Not yet" />
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
