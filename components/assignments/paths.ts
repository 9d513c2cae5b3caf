// Console URLs for an assignment key's pages, so every link to the editor and the history is built one way.
export type KeyScope = { clientId: string; domainId: string; serviceId?: string | null };

const seg = encodeURIComponent;

export const consolePaths = {
  client: (clientId: string) => `/clients/${seg(clientId)}`,
  domain: (clientId: string, domainId: string) =>
    `/clients/${seg(clientId)}/domains/${seg(domainId)}`,
  service: (clientId: string, domainId: string, serviceId: string) =>
    `/clients/${seg(clientId)}/domains/${seg(domainId)}/services/${seg(serviceId)}`,
  newAssignment: (clientId: string, domainId: string) =>
    `/clients/${seg(clientId)}/domains/${seg(domainId)}/new-assignment`,
  /** The domain default's editor; `restore` starts the form from that revision. */
  editor: (clientId: string, domainId: string, key: string, restore?: string) =>
    `/clients/${seg(clientId)}/domains/${seg(domainId)}/assignments/${seg(key)}${restore ? `?restore=${seg(restore)}` : ""}`,
  history: (scope: KeyScope, key: string) =>
    scope.serviceId
      ? `/clients/${seg(scope.clientId)}/domains/${seg(scope.domainId)}/services/${seg(scope.serviceId)}/assignments/${seg(key)}/history`
      : `/clients/${seg(scope.clientId)}/domains/${seg(scope.domainId)}/assignments/${seg(key)}/history`,
};
