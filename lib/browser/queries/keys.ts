// Query-key factories: every cached read has one key, and writes invalidate by prefix.
//
// A key is `[entity, params]`: the entity's name, then ONE object with every parameter by name (`kind` says which
// read it is). TanStack matches a filter against a key element by element and an object field by field, so a
// prefix is the same shape with fewer fields: `["assignments", { clientId, domainId }]` hits every read of that
// domain's assignments (keys, lists, revisions, previews, service overrides), whatever else their object holds.
// Readers take parameters by name (`query.queryKey[1].body`), never by position in a tuple.
export type ScopeKey = { clientId: string; domainId: string; serviceId?: string | null };

/** The scope part of an assignment key: `serviceId` is null for a domain default (never undefined, so it matches). */
const scopeFields = (scope: ScopeKey) =>
  ({
    clientId: scope.clientId,
    domainId: scope.domainId,
    serviceId: scope.serviceId ?? null,
  }) as const;

export const keys = {
  me: () => ["me"] as const,
  clients: {
    all: () => ["clients"] as const,
    list: () => ["clients", { kind: "list" }] as const,
    detail: (clientId: string) => ["clients", { kind: "detail", clientId }] as const,
  },
  domains: {
    /** Everything about one client's domains (its list, each domain). */
    all: (clientId: string) => ["domains", { clientId }] as const,
    list: (clientId: string) => ["domains", { kind: "list", clientId }] as const,
    detail: (clientId: string, domainId: string) =>
      ["domains", { kind: "detail", clientId, domainId }] as const,
  },
  services: {
    /** Everything about one domain's services (lists, single services). */
    all: (clientId: string, domainId: string) => ["services", { clientId, domainId }] as const,
    list: (clientId: string, domainId: string, filters: Record<string, unknown>) =>
      ["services", { kind: "list", clientId, domainId, filters }] as const,
    detail: (clientId: string, domainId: string, serviceId: string) =>
      ["services", { kind: "detail", clientId, domainId, serviceId }] as const,
    /** A service's changes of sync state (its report history), from the domain's change feed. */
    syncHistory: (clientId: string, domainId: string, serviceId: string) =>
      ["services", { kind: "sync-history", clientId, domainId, serviceId }] as const,
  },
  assignments: {
    /** Everything about one domain's assignments: keys, defaults, overrides, revisions, previews. */
    domain: (clientId: string, domainId: string) =>
      ["assignments", { clientId, domainId }] as const,
    keys: (clientId: string, domainId: string) =>
      ["assignments", { kind: "keys", clientId, domainId }] as const,
    list: (scope: ScopeKey, status: string) =>
      ["assignments", { kind: "list", ...scopeFields(scope), status }] as const,
    detail: (scope: ScopeKey, key: string) =>
      ["assignments", { kind: "detail", ...scopeFields(scope), key }] as const,
    revisions: (scope: ScopeKey, key: string) =>
      ["assignments", { kind: "revisions", ...scopeFields(scope), key }] as const,
    /** A domain default change's dry run: `body` is what would be saved. */
    preview: <Body>(params: { clientId: string; domainId: string; key: string; body: Body }) =>
      ["assignments", { kind: "preview", serviceId: null, ...params }] as const,
    /**
     * A key's sync status (observed state), under the domain's prefix: every change on the domain's feed (a
     * report's sync change included) refreshes it.
     */
    syncStatus: (clientId: string, domainId: string, key: string, query: Record<string, unknown>) =>
      ["assignments", { kind: "sync-status", clientId, domainId, key, query }] as const,
    /** Any revision by id; outside every domain prefix (revisions never change). */
    byId: (assignmentId: string) => ["assignments", { kind: "by-id", assignmentId }] as const,
  },
  models: {
    all: () => ["models"] as const,
    list: () => ["models", { kind: "list" }] as const,
    detail: (modelId: string) => ["models", { kind: "detail", modelId }] as const,
    versions: (modelId: string) => ["models", { kind: "versions", modelId }] as const,
    version: (modelId: string, version: string) =>
      ["models", { kind: "version", modelId, version }] as const,
    diff: (modelId: string, version: string, from: string) =>
      ["models", { kind: "diff", modelId, version, from }] as const,
  },
  webhooks: {
    /** Everything about one client's webhooks (the list, each one's deliveries). */
    all: (clientId: string) => ["webhooks", { clientId }] as const,
    list: (clientId: string) => ["webhooks", { kind: "list", clientId }] as const,
    deliveries: (clientId: string, webhookId: string) =>
      ["webhooks", { kind: "deliveries", clientId, webhookId }] as const,
  },
  rollouts: {
    all: () => ["rollouts"] as const,
    list: () => ["rollouts", { kind: "list" }] as const,
    detail: (id: string) => ["rollouts", { kind: "detail", id }] as const,
  },
  changeRequests: {
    /** Every change request read of one client (lists, queues, single requests). */
    all: (clientId: string) => ["change-requests", { clientId }] as const,
    list: (clientId: string, filters: Record<string, unknown>) =>
      ["change-requests", { kind: "list", clientId, filters }] as const,
    detail: (clientId: string, id: string) =>
      ["change-requests", { kind: "detail", clientId, id }] as const,
    /** The requests awaiting the signed-in person, across clients (the navigation's count). */
    queue: () => ["change-requests", { kind: "queue" }] as const,
  },
  users: { all: () => ["users"] as const },
  tokens: { all: () => ["tokens"] as const },
  audit: (filters: Record<string, unknown>) => ["audit", { kind: "entries", filters }] as const,
};
