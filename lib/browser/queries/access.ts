"use client";
// People (/v2/users) and machine tokens (/v2/tokens): admin-only reads and writes for the Access page.
import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type {
  ApiToken,
  ApiTokenAdoptBody,
  ApiTokenCreateBody,
  ApiTokenCreated,
  User,
  UserCreateBody,
  UserCreated,
  UserPatchBody,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type { ApiToken, ApiTokenCreated, User, UserCreated };

const usersQuery = () =>
  queryOptions({
    queryKey: keys.users.all(),
    queryFn: (): Promise<{ items: User[] }> => api.GET("/v2/users").then(dataOf),
  });
const tokensQuery = () =>
  queryOptions({
    queryKey: keys.tokens.all(),
    queryFn: (): Promise<{ items: ApiToken[] }> => api.GET("/v2/tokens").then(dataOf),
  });

export const useUsers = (enabled = true) => useQuery({ ...usersQuery(), enabled });
export const useTokens = (enabled = true) => useQuery({ ...tokensQuery(), enabled });

/** Shows a changed row in its cached list at once; the refetch that follows confirms it. */
function replaceRow<T extends { id: string }>(
  queryClient: QueryClient,
  queryKey: QueryKey,
  row: T,
) {
  queryClient.setQueryData<{ items: T[] }>(
    queryKey,
    (old) => old && { items: old.items.map((r) => (r.id === row.id ? row : r)) },
  );
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      reason,
      ...body
    }: UserCreateBody & { reason?: string | null }): Promise<UserCreated> =>
      api.POST("/v2/users", { params: { header: writeHeaders({ reason }) }, body }).then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.users.all() }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      userId,
      patch,
      reason,
    }: {
      userId: string;
      patch: UserPatchBody;
      reason?: string | null;
    }): Promise<User> =>
      api
        .PATCH("/v2/users/{user_id}", {
          params: { path: { user_id: userId }, header: writeHeaders({ reason }) },
          body: patch,
        })
        .then(dataOf),
    onSuccess: (user) => {
      replaceRow(queryClient, keys.users.all(), user);
      // A person changing their own role changes what /v2/me allows; disabling one revokes or hands over tokens.
      void queryClient.invalidateQueries({ queryKey: keys.me() });
      void queryClient.invalidateQueries({ queryKey: keys.tokens.all() });
      return queryClient.invalidateQueries({ queryKey: keys.users.all() });
    },
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      reason,
      ...body
    }: ApiTokenCreateBody & { reason?: string | null }): Promise<ApiTokenCreated> =>
      api.POST("/v2/tokens", { params: { header: writeHeaders({ reason }) }, body }).then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.tokens.all() }),
  });
}

/** Records a token minted before 0.2.0 (POST /v2/tokens/adopt) so it works again, listed and expiring. */
export function useAdoptToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      reason,
      ...body
    }: ApiTokenAdoptBody & { reason?: string | null }): Promise<ApiToken> =>
      api
        .POST("/v2/tokens/adopt", { params: { header: writeHeaders({ reason }) }, body })
        .then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.tokens.all() }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      tokenId,
      reason,
    }: {
      tokenId: string;
      reason?: string | null;
    }): Promise<ApiToken> =>
      api
        .POST("/v2/tokens/{token_id}/revoke", {
          params: { path: { token_id: tokenId }, header: writeHeaders({ reason }) },
        })
        .then(dataOf),
    onSuccess: (token) => {
      replaceRow(queryClient, keys.tokens.all(), token);
      return queryClient.invalidateQueries({ queryKey: keys.tokens.all() });
    },
  });
}
