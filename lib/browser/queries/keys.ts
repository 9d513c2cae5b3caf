// Query-key factories: every cached read has one key, and writes invalidate by prefix.
export type ScopeKey = { clientId: string; domainId: string; serviceId?: string | null };

export const keys = {
  me: () => ["me"] as const,
  clients: {
    all: () => ["clients"] as const,
    list: () => ["clients", "list"] as const,
    detail: (clientId: string) => ["clients", "detail", clientId] as const,
  },
  domains: {
    all: (clientId: string) => ["domains", clientId] as const,
    list: (clientId: string) => ["domains", clientId, "list"] as const,
    detail: (clientId: string, domainId: string) =>
      ["domains", clientId, "detail", domainId] as const,
  },
  services: {
    /** Everything about one domain's services (lists, single services). */
    all: (clientId: string, domainId: string) => ["services", clientId, domainId] as const,
    list: (clientId: string, domainId: string, filters: Record<string, unknown>) =>
      ["services", clientId, domainId, "list", filters] as const,
    detail: (clientId: string, domainId: string, serviceId: string) =>
      ["services", clientId, domainId, "detail", serviceId] as const,
  },
  assignments: {
    /** Everything about one domain's assignments: defaults, overrides, revisions, effective, previews. */
    domain: (clientId: string, domainId: string) => ["assignments", clientId, domainId] as const,
    keys: (clientId: string, domainId: string) =>
      ["assignments", clientId, domainId, "keys"] as const,
    list: (scope: ScopeKey, status: string) =>
      [
        "assignments",
        scope.clientId,
        scope.domainId,
        scope.serviceId ?? "",
        "list",
        status,
      ] as const,
    detail: (scope: ScopeKey, key: string) =>
      [
        "assignments",
        scope.clientId,
        scope.domainId,
        scope.serviceId ?? "",
        "detail",
        key,
      ] as const,
    revisions: (scope: ScopeKey, key: string) =>
      [
        "assignments",
        scope.clientId,
        scope.domainId,
        scope.serviceId ?? "",
        "revisions",
        key,
      ] as const,
    preview: (clientId: string, domainId: string, key: string, body: unknown) =>
      ["assignments", clientId, domainId, "", "preview", key, body] as const,
  },
  models: {
    all: () => ["models"] as const,
    list: () => ["models", "list"] as const,
    detail: (modelId: string) => ["models", "detail", modelId] as const,
    versions: (modelId: string) => ["models", "versions", modelId] as const,
    version: (modelId: string, version: string) => ["models", "version", modelId, version] as const,
    diff: (modelId: string, version: string, from: string) =>
      ["models", "diff", modelId, version, from] as const,
  },
  webhooks: {
    all: (clientId: string) => ["webhooks", clientId] as const,
    deliveries: (clientId: string, webhookId: string) =>
      ["webhooks", clientId, "deliveries", webhookId] as const,
  },
  users: { all: () => ["users"] as const },
  tokens: { all: () => ["tokens"] as const },
  audit: (filters: Record<string, unknown>) => ["audit", filters] as const,
};
