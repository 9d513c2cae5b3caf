"use client";
// /audit: who changed what, when and why. Filters live in the URL (shareable, and what the history's "Audit
// entry" links fill in); entries page with the API's cursor; each shows its reason and a before/after diff,
// links to the entity it is about, and the same filters download as CSV.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, type FormEvent } from "react";
import { paths } from "@/components/paths";
import { formatActor } from "@/lib/shared/format-actor";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { BeforeAfterTable } from "@/components/ui/before-after-table";
import { Card, CardBody } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, LoadingState, QueryFallback } from "@/components/ui/states";
import {
  AUDIT_FILTERS,
  auditCsvHref,
  useAuditEntries,
  type AuditEntry,
  type AuditFilters,
} from "@/lib/browser/queries/audit";
import { useMe } from "@/lib/browser/queries/me";
import { auditChanges, showValue } from "./audit-diff";

const ENTITY_TYPES = [
  "client",
  "domain",
  "service",
  "assignment",
  "model",
  "model_version",
  "user",
  "api_token",
];
const ACTIONS = [
  "assignment.upsert",
  "assignment.retire",
  "service.create",
  "service.patch",
  "service.depart",
  "client.create",
  "client.patch",
  "domain.create",
  "domain.patch",
  "model.create",
  "model_version.create",
  "user.create",
  "user.update",
  "token.create",
  "token.revoke",
  "token.first_use",
];

/** `2026-11-30T05:00:00.000Z` → the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Where the entity an entry is about lives in the console, if anywhere. */
export function entityHref(entry: Pick<AuditEntry, "entity_type" | "entity_id">): string | null {
  const parts = entry.entity_id.split("/");
  switch (entry.entity_type) {
    case "client":
      return paths.client(entry.entity_id);
    case "domain":
      return parts.length === 2 ? paths.domain(parts[0]!, parts[1]!) : null;
    case "service":
      return parts.length === 3 ? paths.service(parts[0]!, parts[1]!, parts[2]!) : null;
    case "assignment":
      return parts.length === 4
        ? paths.history(
            { clientId: parts[0]!, domainId: parts[1]!, serviceId: parts[2] || null },
            parts[3]!,
          )
        : null;
    case "model":
      return paths.model(entry.entity_id);
    case "model_version": {
      const at = entry.entity_id.lastIndexOf("@");
      return at > 0
        ? paths.modelVersion(entry.entity_id.slice(0, at), entry.entity_id.slice(at + 1))
        : null;
    }
    case "user":
    case "api_token":
      return paths.access();
    default:
      return null;
  }
}

export function AuditPage() {
  const me = useMe();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo<AuditFilters>(() => {
    const f: AuditFilters = {};
    for (const name of AUDIT_FILTERS) {
      const value = params.get(name);
      if (value) f[name] = value;
    }
    return f;
  }, [params]);

  const header = (
    <PageHeader
      crumbs={[{ label: "Audit" }]}
      title="Audit log"
      description="Every change, who made it, when and why, with what it changed. Entries can't be edited or deleted."
      actions={
        me.data?.can.admin ? (
          <a
            className="inline-flex items-center rounded-md border border-border px-3 py-1.5 text-sm font-medium hover:bg-muted"
            href={auditCsvHref(filters)}
            download
          >
            Download CSV
          </a>
        ) : null
      }
    />
  );
  if (me.isPending || me.error)
    return (
      <>
        {header}
        <QueryFallback query={me} loadingLabel="Checking your access…" />
      </>
    );
  if (!me.data.can.admin) {
    return (
      <>
        {header}
        <Notice tone="warn" title="You need the admin role" role="status">
          The audit log is for admins; ask an admin if you need to know who changed something.
        </Notice>
      </>
    );
  }

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const search = new URLSearchParams();
    for (const name of AUDIT_FILTERS) {
      const raw = String(data.get(name) ?? "").trim();
      if (!raw) continue;
      if (name === "since" || name === "until") {
        const d = new Date(raw);
        if (!Number.isNaN(d.getTime())) search.set(name, d.toISOString());
      } else search.set(name, raw);
    }
    const qs = search.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname);
  };

  return (
    <>
      {header}
      <Card className="mb-4">
        <CardBody>
          <form
            key={params.toString()}
            aria-label="Filter the audit log"
            onSubmit={apply}
            className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
          >
            <FormField id="audit-actor" label="Actor">
              {(field) => (
                <Input
                  {...field}
                  name="actor"
                  defaultValue={filters.actor ?? ""}
                  placeholder="user:ada@example.com"
                  autoComplete="off"
                />
              )}
            </FormField>
            <FormField id="audit-action" label="Action">
              {(field) => (
                <Select {...field} name="action" defaultValue={filters.action ?? ""}>
                  <option value="">Any action</option>
                  {ACTIONS.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField id="audit-entity-type" label="Entity type">
              {(field) => (
                <Select {...field} name="entity_type" defaultValue={filters.entity_type ?? ""}>
                  <option value="">Any entity</option>
                  {ENTITY_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField id="audit-entity-id" label="Entity id">
              {(field) => (
                <Input
                  {...field}
                  name="entity_id"
                  defaultValue={filters.entity_id ?? ""}
                  placeholder="client-1/south_australia/svc-001"
                  autoComplete="off"
                />
              )}
            </FormField>
            <FormField id="audit-client" label="Client">
              {(field) => (
                <Input
                  {...field}
                  name="client_id"
                  defaultValue={filters.client_id ?? ""}
                  placeholder="client-1"
                  autoComplete="off"
                />
              )}
            </FormField>
            <FormField id="audit-since" label="From">
              {(field) => (
                <Input
                  {...field}
                  type="datetime-local"
                  name="since"
                  defaultValue={toLocalInput(filters.since)}
                />
              )}
            </FormField>
            <FormField id="audit-until" label="Until (exclusive)">
              {(field) => (
                <Input
                  {...field}
                  type="datetime-local"
                  name="until"
                  defaultValue={toLocalInput(filters.until)}
                />
              )}
            </FormField>
            <div className="flex items-end gap-2">
              <Button type="submit" variant="primary">
                Apply filters
              </Button>
              {Object.keys(filters).length > 0 ? (
                <Button onClick={() => router.replace(pathname)}>Clear</Button>
              ) : null}
            </div>
          </form>
        </CardBody>
      </Card>
      <AuditEntries filters={filters} />
    </>
  );
}

function AuditEntries({ filters }: { filters: AuditFilters }) {
  const query = useAuditEntries(filters);
  if (query.isPending) return <LoadingState label="Loading the audit log…" />;
  if (query.error)
    return (
      <ErrorState
        error={query.error}
        onRetry={() => query.refetch()}
        title="Could not load the audit log"
      />
    );
  const entries = query.data.pages.flatMap((p) => p.items);
  if (entries.length === 0)
    return (
      <Card>
        <EmptyState title="No audit entries match these filters" />
      </Card>
    );
  return (
    <div className="space-y-3">
      <p className="text-sm text-fg-muted" role="status">
        {entries.length} {entries.length === 1 ? "entry" : "entries"}
        {query.hasNextPage ? " so far" : ""}, newest first.
      </p>
      <ol aria-label="Audit entries" className="space-y-3">
        {entries.map((entry) => (
          <li key={entry.id}>
            <AuditEntryCard entry={entry} />
          </li>
        ))}
      </ol>
      {query.hasNextPage ? (
        <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
          Load older entries
        </Button>
      ) : null}
    </div>
  );
}

function AuditEntryCard({ entry }: { entry: AuditEntry }) {
  const href = entityHref(entry);
  const changes = auditChanges(entry.before, entry.after);
  const headingId = `audit-${entry.id}`;
  return (
    <Card>
      <article aria-labelledby={headingId}>
        <div className="space-y-1 border-b border-border px-4 py-3">
          <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-base font-semibold">
            <Badge>{entry.action}</Badge>
            {href ? (
              <Link className="font-mono text-accent underline" href={href}>
                {entry.entity_id}
              </Link>
            ) : (
              <span className="font-mono">{entry.entity_id}</span>
            )}
          </h2>
          <p className="text-sm text-fg-muted">
            by <span className="text-fg">{formatActor(entry.actor)}</span> ·{" "}
            <DateTime value={entry.at} />
            {entry.client_id ? <> · client {entry.client_id}</> : null}
            {entry.request_id ? (
              <>
                {" "}
                · request <span className="font-mono">{entry.request_id}</span>
              </>
            ) : null}{" "}
            · entry #{entry.id}
          </p>
          <p className="text-sm">
            <span className="text-fg-muted">Reason:</span>{" "}
            {entry.reason ?? <span className="text-fg-muted">(none given)</span>}
          </p>
        </div>
        <CardBody>
          {changes.length === 0 ? (
            <p className="text-sm text-fg-muted">No field changed.</p>
          ) : (
            <BeforeAfterTable
              caption={`What entry ${entry.id} changed`}
              noAfter="(none)"
              rows={changes.map((c) => ({
                key: c.field,
                label: c.field,
                before: c.before === undefined ? null : showValue(c.before),
                after: c.after === undefined ? null : showValue(c.after),
              }))}
            />
          )}
        </CardBody>
      </article>
    </Card>
  );
}
