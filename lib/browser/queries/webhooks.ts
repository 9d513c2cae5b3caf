"use client";
// A client's webhooks and their deliveries (/v2/clients/{c}/webhooks…), for the client page's Webhooks section.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
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
    queryFn: (): Promise<{ items: Webhook[] }> =>
      api
        .GET("/v2/clients/{client_id}/webhooks", { params: { path: { client_id: clientId } } })
        .then(dataOf),
    enabled,
  });

/** Refreshed every few seconds while shown: deliveries change as the dispatcher works. */
export const useDeliveries = (clientId: string, webhookId: string) =>
  useQuery({
    queryKey: keys.webhooks.deliveries(clientId, webhookId),
    queryFn: (): Promise<{ items: WebhookDelivery[] }> =>
      api
        .GET("/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries", {
          params: { path: { client_id: clientId, webhook_id: webhookId } },
        })
        .then(dataOf),
    refetchInterval: 3_000,
  });

export function useCreateWebhook(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      reason,
      ...body
    }: WebhookCreateBody & { reason?: string | null }): Promise<WebhookCreated> =>
      api
        .POST("/v2/clients/{client_id}/webhooks", {
          params: { path: { client_id: clientId }, header: writeHeaders({ reason }) },
          body,
        })
        .then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.webhooks.all(clientId) }),
  });
}

export function useDeleteWebhook(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      webhookId,
      reason,
    }: {
      webhookId: string;
      reason?: string | null;
    }): Promise<Webhook> =>
      api
        .DELETE("/v2/clients/{client_id}/webhooks/{webhook_id}", {
          params: {
            path: { client_id: clientId, webhook_id: webhookId },
            header: writeHeaders({ reason }),
          },
        })
        .then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.webhooks.all(clientId) }),
  });
}

export function useRetryDelivery(clientId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string): Promise<WebhookDelivery> =>
      api
        .POST("/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", {
          params: {
            path: { client_id: clientId, webhook_id: webhookId, delivery_id: deliveryId },
          },
        })
        .then(dataOf),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: keys.webhooks.deliveries(clientId, webhookId) }),
  });
}
