"use client";
// The domain's services: server-side pages of 50 (cursor stack in the URL), search and filters in the URL,
// provided features, the effective assignment per key, compatibility with a chosen model version, and an inline
// editor of a service's features.
import Link from "next/link";
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import dynamic from "next/dynamic";
import { paths } from "@/components/paths";
import { ServiceStatusBadge } from "@/components/tenancy/status-badges";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useButtonRefs } from "@/components/ui/use-button-refs";
import { useAssignmentKeys } from "@/lib/browser/queries/assignment-keys";
import { useSyncStatusesOf } from "@/lib/browser/queries/observations";
import { RunningSummary } from "@/components/observations/running-summary";
import type { ServiceSyncStatus } from "@/lib/schemas/observations";
import {
  useServices,
  type ServiceFilters,
  type ServiceListItem,
} from "@/lib/browser/queries/services";
import { CompatibilitySummary } from "./compatibility-summary";
import { EffectiveSummary } from "./effective-summary";
import { PinnedMark } from "./unpin-button";
import { FeatureChips } from "./feature-chips";
import { parseVersionRef } from "./model-version-select";
import { SERVICES_PAGE_SIZE, ServicesPager, useServicesPager } from "./services-pager";
import { ServicesFilters } from "./services-filters";
import { hasFilters, isFeatureFilter, useServicesTableParams } from "./use-services-table-params";

// The inline editor (and the zod-based contract validation it needs) loads when a row is first edited, which
// keeps it out of the domain page's first-load JS.
const ServiceFeaturesEditor = dynamic(
  () => import("./features-editor").then((m) => m.ServiceFeaturesEditor),
  {
    ssr: false,
    loading: () => <p className="p-3 text-sm text-fg-muted">Loading editor…</p>,
  },
);

export function ServicesTable({
  clientId,
  domainId,
  canEdit,
}: {
  clientId: string;
  domainId: string;
  canEdit: boolean;
}) {
  const [params, update] = useServicesTableParams();
  const featureFilterValid = isFeatureFilter(params.feature);
  const filters: ServiceFilters = {
    include: "effective",
    limit: SERVICES_PAGE_SIZE,
    status: params.status,
    q: params.q || undefined,
    feature: params.feature && featureFilterValid ? [params.feature] : undefined,
    compatible_with: params.compatibleWith || undefined,
    compatible: params.compatibleWith && params.compatible ? params.compatible : undefined,
    cursor: params.cursor || undefined,
  };
  const services = useServices(clientId, domainId, filters);
  const assignmentKeys = useAssignmentKeys(clientId, domainId);

  // The inline editor's inputs follow what the service runs and, with a version chosen, that version's contract.
  const target = useMemo(() => parseVersionRef(params.compatibleWith), [params.compatibleWith]);

  // One column per key: the domain's keys, plus any a service on this page has on its own.
  const effectiveKeys = useMemo(() => {
    const all = new Set(assignmentKeys.data?.items.map((k) => k.assignment_key) ?? []);
    for (const item of services.data?.items ?? [])
      for (const key of Object.keys(item.effective ?? {})) all.add(key);
    return [...all].sort();
  }, [assignmentKeys.data, services.data]);

  const items = useMemo(() => services.data?.items ?? [], [services.data]);
  // What each service of the page reported it runs, per key (observed state).
  const running = useSyncStatusesOf(
    clientId,
    domainId,
    effectiveKeys,
    items.map((s) => s.service_id),
  );
  const editor = useRowEditor(items);
  const pager = useServicesPager(params, update, services);
  const columnCount =
    4 + effectiveKeys.length + (params.compatibleWith ? 1 : 0) + (canEdit ? 1 : 0);
  const filtered = hasFilters(params);

  return (
    <Card>
      <CardHeader
        id="services-heading"
        title="Services"
        description="Each service's provided features and the model version it runs per key. Filter by id or name, status, a feature value, or fit to a model version."
      />
      <ServicesFilters params={params} update={update} featureFilterValid={featureFilterValid} />
      <div aria-live="polite" className="sr-only">
        {services.isFetching
          ? "Loading services…"
          : services.data
            ? `Page ${pager.pageNumber}: ${items.length} services shown`
            : ""}
      </div>
      {services.isPending ? (
        <LoadingState label="Loading services…" />
      ) : services.error && !services.data ? (
        <ErrorState
          error={services.error}
          onRetry={() => services.refetch()}
          title="Could not load the services"
        />
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? "No services match these filters" : "No services in this domain"}
        >
          {filtered
            ? "Change the search or the filters, or clear them."
            : "Services are added through the API (POST …/services)."}
        </EmptyState>
      ) : (
        <div
          className={services.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}
          aria-busy={services.isFetching || undefined}
        >
          <Table aria-labelledby="services-heading" aria-describedby="services-page-summary">
            <ServicesTableHead
              effectiveKeys={effectiveKeys}
              compatibleWith={params.compatibleWith}
              canEdit={canEdit}
            />
            <tbody>
              {items.map((service, index) => {
                const isEditing = editor.editing === service.service_id;
                return (
                  <Fragment key={service.service_id}>
                    <ServiceRow
                      clientId={clientId}
                      domainId={domainId}
                      service={service}
                      effectiveKeys={effectiveKeys}
                      running={running}
                      showFit={!!params.compatibleWith}
                      highlighted={isEditing}
                      canEdit={canEdit}
                    >
                      {canEdit ? (
                        <Td className="text-right whitespace-nowrap">
                          {service.status === "active" ? (
                            <Button
                              size="sm"
                              ref={editor.buttons.refFor(service.service_id)}
                              aria-expanded={isEditing}
                              onClick={() => editor.toggle(service.service_id)}
                            >
                              Edit features<span className="sr-only"> of {service.service_id}</span>
                            </Button>
                          ) : (
                            <span className="text-xs text-fg-muted">Departed: read-only</span>
                          )}
                        </Td>
                      ) : null}
                    </ServiceRow>
                    {isEditing ? (
                      <tr>
                        <td
                          colSpan={columnCount}
                          className="border-b border-border bg-muted/40 px-3 py-3"
                        >
                          <ServiceFeaturesEditor
                            clientId={clientId}
                            domainId={domainId}
                            service={service}
                            running={Object.values(service.effective ?? {})}
                            target={target}
                            onClose={() => editor.close(service.service_id, index)}
                          />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </Table>
        </div>
      )}
      {services.error && services.data ? (
        <ErrorState
          error={services.error}
          onRetry={() => services.refetch()}
          title="Could not load this page of services"
        />
      ) : null}
      <ServicesPager
        pager={pager}
        shown={items.length}
        lastPage={!!services.data && !services.data.next_cursor}
      />
    </Card>
  );
}

/**
 * Which row's inline editor is open, and where focus goes when it closes: back to the row's Edit button, or,
 * when a save made the row leave the page (e.g. it now fits), to the row now in its place.
 */
function useRowEditor(items: ServiceListItem[]) {
  const [editing, setEditing] = useState<string | null>(null);
  const buttons = useButtonRefs();
  // The row last edited, so focus has somewhere sensible to go if a save makes it leave the list.
  const lastEdited = useRef<{ serviceId: string; index: number } | null>(null);
  const close = useCallback(
    (serviceId: string, index: number) => {
      setEditing(null);
      lastEdited.current = { serviceId, index };
      // Back to the button that opened the editor, once it is rendered again.
      requestAnimationFrame(() => buttons.get(serviceId)?.focus());
    },
    [buttons],
  );

  useEffect(() => {
    const last = lastEdited.current;
    if (!last || buttons.has(last.serviceId)) return;
    lastEdited.current = null;
    if (document.activeElement && document.activeElement !== document.body) return;
    // The edited service left this page: move on to the one now in its place.
    const next = items[Math.min(last.index, items.length - 1)];
    if (next) buttons.get(next.service_id)?.focus();
  }, [items, buttons]);

  const toggle = (serviceId: string) => setEditing(editing === serviceId ? null : serviceId);
  return { editing, toggle, close, buttons };
}

function ServicesTableHead({
  effectiveKeys,
  compatibleWith,
  canEdit,
}: {
  effectiveKeys: string[];
  compatibleWith: string;
  canEdit: boolean;
}) {
  const headerRows = effectiveKeys.length > 0 ? 2 : 1;
  return (
    <thead>
      <tr>
        <Th rowSpan={headerRows}>Service</Th>
        <Th rowSpan={headerRows}>Name</Th>
        <Th rowSpan={headerRows}>Status</Th>
        <Th rowSpan={headerRows}>Provided features</Th>
        {effectiveKeys.length > 0 ? (
          <Th scope="colgroup" colSpan={effectiveKeys.length} className="border-b-0 pb-0">
            Should run → running, per assignment key
          </Th>
        ) : null}
        {compatibleWith ? (
          <Th rowSpan={headerRows}>
            Fit to <span className="font-mono">{compatibleWith}</span>
          </Th>
        ) : null}
        {canEdit ? (
          <Th rowSpan={headerRows}>
            <span className="sr-only">Actions</span>
          </Th>
        ) : null}
      </tr>
      {effectiveKeys.length > 0 ? (
        <tr>
          {effectiveKeys.map((key) => (
            <Th key={key} className="pt-1 font-mono text-xs">
              {key}
            </Th>
          ))}
        </tr>
      ) : null}
    </thead>
  );
}

function ServiceRow({
  clientId,
  domainId,
  service,
  effectiveKeys,
  running,
  showFit,
  highlighted,
  canEdit,
  children,
}: {
  clientId: string;
  domainId: string;
  service: ServiceListItem;
  effectiveKeys: string[];
  /** What the services reported they run: running[key][serviceId]. */
  running: Record<string, Record<string, ServiceSyncStatus>>;
  /** Whether the "Fit to" column is shown. */
  showFit: boolean;
  highlighted: boolean;
  /** The person may change assignments here (and so unpin a pinned service). */
  canEdit: boolean;
  /** The actions cell, if any. */
  children: ReactNode;
}) {
  return (
    <Tr className={highlighted ? "bg-muted/60" : undefined}>
      <Td className="whitespace-nowrap">
        <Link
          className="font-mono font-medium text-accent hover:underline"
          href={paths.service(clientId, domainId, service.service_id)}
        >
          {service.service_id}
        </Link>
      </Td>
      <Td>{service.name ?? <span className="text-fg-muted">—</span>}</Td>
      <Td>
        <ServiceStatusBadge status={service.status} />
      </Td>
      <Td className="max-w-md">
        <FeatureChips features={service.provided_features} />
      </Td>
      {effectiveKeys.map((key) => (
        <Td key={key} className="whitespace-nowrap">
          <span className="inline-flex flex-col items-start gap-1">
            <span className="inline-flex flex-wrap items-center gap-1.5">
              <EffectiveSummary effective={service.effective?.[key]} />
              {service.effective?.[key]?.pinned_by ? (
                <PinnedMark
                  clientId={clientId}
                  domainId={domainId}
                  serviceId={service.service_id}
                  assignmentKey={key}
                  effective={service.effective[key]}
                  canUnpin={canEdit}
                />
              ) : null}
            </span>
            {service.status === "active" &&
            (service.effective?.[key] || running[key]?.[service.service_id]) ? (
              <RunningSummary status={running[key]?.[service.service_id]} />
            ) : null}
          </span>
        </Td>
      ))}
      {showFit ? (
        <Td>
          <CompatibilitySummary compatibility={service.compatibility} />
        </Td>
      ) : null}
      {children}
    </Tr>
  );
}
