"use client";
// A client's webhooks and their deliveries (/v2/clients/{c}/webhooks…), for the client page's Webhooks section.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, v2 } from "@/lib/browser/api-client/api-fetch";
import type {
  Webhook,
  WebhookCreateBody,
  WebhookCreated,
  WebhookDelivery,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type { Webhook, WebhookCreated, WebhookDelivery };

export const useWebhooks = (clientId: string, enabled = true) =>
  useQuery({
    queryKey: keys.webhooks.list(clientId),
    queryFn: () => apiFetch<{ items: Webhook[] }>(v2("clients", clientId, "webhooks")),
    enabled,
  });

/** Refreshed every few seconds while shown: deliveries change as the dispatcher works. */
export const useDeliveries = (clientId: string, webhookId: string) =>
  useQuery({
    queryKey: keys.webhooks.deliveries(clientId, webhookId),
    queryFn: () =>
      apiFetch<{ items: WebhookDelivery[] }>(
        v2("clients", clientId, "webhooks", webhookId, "deliveries"),
      ),
    refetchInterval: 3_000,
  });

export function useCreateWebhook(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, ...body }: WebhookCreateBody & { reason?: string | null }) =>
      apiFetch<WebhookCreated>(v2("clients", clientId, "webhooks"), {
        method: "POST",
        body,
        reason,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.webhooks.all(clientId) }),
  });
}

export function useDeleteWebhook(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ webhookId, reason }: { webhookId: string; reason?: string | null }) =>
      apiFetch<Webhook>(v2("clients", clientId, "webhooks", webhookId), {
        method: "DELETE",
        reason,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.webhooks.all(clientId) }),
  });
}

export function useRetryDelivery(clientId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      apiFetch<WebhookDelivery>(
        `${v2("clients", clientId, "webhooks", webhookId, "deliveries", deliveryId)}/retry`,
        { method: "POST" },
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: keys.webhooks.deliveries(clientId, webhookId) }),
  });
}
