"use client";
// /audit: who changed what, when and why. Filters live in the URL (shareable, and what the history's "Audit
// entry" links fill in); entries page with the API's cursor; each shows its reason and a before/after diff,
// links to the entity it is about, and the same filters download as CSV.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, type FormEvent } from "react";
import { AdminOnly } from "@/components/layout/admin-only";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { AUDIT_FILTERS, auditCsvHref, type AuditFilters } from "@/lib/browser/queries/audit";
import { useMe } from "@/lib/browser/queries/me";
import { AuditEntries } from "./audit-entries";

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
  "assignment.pin",
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
  "token.hand_over",
  "token.adopt",
  "token.first_use",
  "webhook.delivery_retry",
  "backup.restore",
];

/** `2026-11-30T05:00:00.000Z` → the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The filters in the URL; `apply` puts a submitted filter form there (times as ISO), `clear` removes them. */
function useAuditFilters() {
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

  return { filters, version: params.toString(), apply, clear: () => router.replace(pathname) };
}

export function AuditPage() {
  const me = useMe();
  const audit = useAuditFilters();
  return (
    <AdminOnly
      header={
        <PageHeader
          crumbs={[{ label: "Audit" }]}
          title="Audit log"
          description="Every change, who made it, when and why, with what it changed. Entries can't be edited or deleted."
          actions={
            me.data?.can.admin ? (
              <a
                className="inline-flex items-center rounded-md border border-border px-3 py-1.5 text-sm font-medium hover:bg-muted"
                href={auditCsvHref(audit.filters)}
                download
              >
                Download CSV
              </a>
            ) : null
          }
        />
      }
      refusal={() =>
        "The audit log is for admins; ask an admin if you need to know who changed something."
      }
    >
      {() => (
        <>
          <Card className="mb-4">
            <CardBody>
              <AuditFilterForm {...audit} />
            </CardBody>
          </Card>
          <AuditEntries filters={audit.filters} />
        </>
      )}
    </AdminOnly>
  );
}

function AuditFilterForm({ filters, version, apply, clear }: ReturnType<typeof useAuditFilters>) {
  return (
    <form
      key={version}
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
        {Object.keys(filters).length > 0 ? <Button onClick={clear}>Clear</Button> : null}
      </div>
    </form>
  );
}
