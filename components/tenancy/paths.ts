// The console's URLs, in one place, so links stay right when a page moves.
const s = encodeURIComponent;

export const paths = {
  clients: () => "/clients",
  client: (c: string) => `/clients/${s(c)}`,
  domain: (c: string, d: string) => `/clients/${s(c)}/domains/${s(d)}`,
  domainAssignment: (c: string, d: string, k: string) => `/clients/${s(c)}/domains/${s(d)}/assignments/${s(k)}`,
  domainAssignmentHistory: (c: string, d: string, k: string) => `/clients/${s(c)}/domains/${s(d)}/assignments/${s(k)}/history`,
  newAssignment: (c: string, d: string) => `/clients/${s(c)}/domains/${s(d)}/new-assignment`,
  service: (c: string, d: string, sv: string) => `/clients/${s(c)}/domains/${s(d)}/services/${s(sv)}`,
  serviceAssignmentHistory: (c: string, d: string, sv: string, k: string) =>
    `/clients/${s(c)}/domains/${s(d)}/services/${s(sv)}/assignments/${s(k)}/history`,
  model: (m: string) => `/models/${s(m)}`,
  modelVersion: (m: string, v: string) => `/models/${s(m)}/versions/${s(v)}`,
};
