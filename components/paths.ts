// The console's URLs, in one place, so links stay right when a page moves. Each segment is encoded: the ids
// come from people.
export type KeyScope = { clientId: string; domainId: string; serviceId?: string | null };

const seg = encodeURIComponent;

const domainPath = (clientId: string, domainId: string) =>
  `/clients/${seg(clientId)}/domains/${seg(domainId)}`;
const servicePath = (clientId: string, domainId: string, serviceId: string) =>
  `${domainPath(clientId, domainId)}/services/${seg(serviceId)}`;

export const paths = {
  clients: () => "/clients",
  client: (clientId: string) => `/clients/${seg(clientId)}`,
  domain: domainPath,
  service: servicePath,
  newAssignment: (clientId: string, domainId: string) =>
    `${domainPath(clientId, domainId)}/new-assignment`,
  /** The domain default's editor; `restore` starts the form from that revision. */
  editor: (clientId: string, domainId: string, key: string, restore?: string) =>
    `${domainPath(clientId, domainId)}/assignments/${seg(key)}${restore ? `?restore=${seg(restore)}` : ""}`,
  /** A key's revisions: the domain default's, or a service's own (override) when the scope names a service. */
  history: (scope: KeyScope, key: string) =>
    `${
      scope.serviceId
        ? servicePath(scope.clientId, scope.domainId, scope.serviceId)
        : domainPath(scope.clientId, scope.domainId)
    }/assignments/${seg(key)}/history`,
  /** A client's change requests (four eyes), and one of them. */
  changeRequests: (clientId: string) => `/clients/${seg(clientId)}/change-requests`,
  changeRequest: (clientId: string, id: string) =>
    `/clients/${seg(clientId)}/change-requests/${seg(id)}`,
  /** Rollouts in waves: the list, a new one, one of them. */
  rollouts: () => "/rollouts",
  newRollout: () => "/rollouts/new",
  rollout: (id: string) => `/rollouts/${seg(id)}`,
  /** What awaits the signed-in person's review, across clients. */
  reviews: () => "/reviews",
  models: () => "/models",
  model: (modelId: string) => `/models/${seg(modelId)}`,
  /** A version's contract; `from` opens it compared with that other version. */
  modelVersion: (modelId: string, version: string, from?: string | null) =>
    `/models/${seg(modelId)}/versions/${seg(version)}${from ? `?from=${seg(from)}` : ""}`,
  access: () => "/access",
  account: () => "/account",
  /** The audit log, filtered (actor, action, entity_type, entity_id, client_id, since, until). */
  audit: (filters: Record<string, string | null | undefined> = {}) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value) search.set(name, value);
    const qs = search.toString();
    return qs ? `/audit?${qs}` : "/audit";
  },
  /** The audit entry a revision was written with: same entity, same transaction time. */
  revisionAudit: (revision: {
    client_id: string;
    domain_id: string;
    service_id: string | null;
    assignment_key: string;
    created_at: string;
  }) => {
    const at = new Date(revision.created_at);
    return paths.audit({
      entity_type: "assignment",
      entity_id: `${revision.client_id}/${revision.domain_id}/${revision.service_id ?? ""}/${revision.assignment_key}`,
      since: at.toISOString(),
      // The API keeps microseconds; the revision's time is rounded down to the millisecond.
      until: new Date(at.getTime() + 1).toISOString(),
    });
  },
};
