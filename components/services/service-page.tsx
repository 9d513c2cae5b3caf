"use client";
// /clients/{c}/domains/{d}/services/{s}: one service's provided features (editable inline), and what it runs
// per assignment key, with its own overrides.
import Link from "next/link";

import { useId, useMemo, useRef, useState } from "react";
import { paths } from "@/components/paths";
import { ServiceStatusBadge } from "@/components/tenancy/status-badges";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { FormField } from "@/components/ui/form-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState, QueryFallback } from "@/components/ui/states";
import type { ModelVersion, Service } from "@/lib/browser/api-client/types";
import { keys } from "@/lib/browser/queries/keys";
import { useMe } from "@/lib/browser/queries/me";
import { useService } from "@/lib/browser/queries/services";
import { useClient, useDomain } from "@/lib/browser/queries/tenancy";
import { useQueryClient } from "@tanstack/react-query";
import { ServiceRunningCard } from "@/components/observations/service-running-card";
import { EffectiveAssignmentsCard } from "./effective-assignments-card";
import { FeatureChips } from "./feature-chips";
import { ServiceFeaturesEditor } from "./features-editor";
import { ModelVersionSelect, parseVersionRef } from "./model-version-select";
import { useServiceKeys } from "./use-service-keys";

export function ServicePage({
  clientId,
  domainId,
  serviceId,
}: {
  clientId: string;
  domainId: string;
  serviceId: string;
}) {
  const client = useClient(clientId);
  const domain = useDomain(clientId, domainId);
  const service = useService(clientId, domainId, serviceId);
  const me = useMe();
  const crumbs = [
    { label: "Clients", href: paths.clients() },
    { label: client.data?.name ?? clientId, href: paths.client(clientId) },
    { label: domain.data?.name ?? domainId, href: paths.domain(clientId, domainId) },
    { label: serviceId },
  ];

  if (service.isPending || service.error) {
    return (
      <>
        <PageHeader crumbs={crumbs} title={serviceId} />
        <QueryFallback query={service} loadingLabel="Loading service…" />
      </>
    );
  }
  const departed = service.data.status === "departed";
  const domainActive = domain.data?.status === "active";
  const can = me.data?.can;
  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={service.data.name ?? serviceId}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <span>
              Service <span className="font-mono">{serviceId}</span>
            </span>
            <ServiceStatusBadge status={service.data.status} />
            <span>
              in{" "}
              <Link className="text-accent hover:underline" href={paths.domain(clientId, domainId)}>
                {domain.data?.name ?? domainId}
              </Link>
            </span>
            <span>
              · updated <DateTime value={service.data.updated_at} />
            </span>
          </span>
        }
      />
      <div className="space-y-6">
        {departed ? (
          <Notice tone="warn" title="This service has departed the domain">
            It is kept for history only: it is never validated, its features can&apos;t be changed
            and it can&apos;t receive assignments.
          </Notice>
        ) : domain.data && !domainActive ? (
          <Notice tone="warn" title="This domain is inactive: writes are refused">
            The server refuses service edits and assignment changes in an inactive domain (422
            “domain not active”).
          </Notice>
        ) : null}
        <ServiceBody
          clientId={clientId}
          domainId={domainId}
          service={service.data}
          canEditFeatures={!departed && domainActive && !!can?.write_services}
          canOverride={!departed && domainActive && !!can?.write_assignments}
        />
      </div>
    </>
  );
}

function ServiceBody({
  clientId,
  domainId,
  service,
  canEditFeatures,
  canOverride,
}: {
  clientId: string;
  domainId: string;
  service: Service;
  canEditFeatures: boolean;
  canOverride: boolean;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  // Inputs follow the versions the service runs now (its own override, else the domain default, per key) and,
  // when one is chosen here, the version it is moving to ("model@version").
  const [contractRef, setContractRef] = useState("");
  const featuresCard = useRef<HTMLDivElement>(null);
  const { allKeys } = useServiceKeys(clientId, domainId, service.service_id);

  const openWithVersion = (v: ModelVersion) => {
    queryClient.setQueryData(keys.models.version(v.model_id, v.version), v);
    setContractRef(`${v.model_id}@${v.version}`);
    setEditing(true);
    featuresCard.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  };

  return (
    <>
      <div ref={featuresCard}>
        <ProvidedFeaturesCard
          clientId={clientId}
          domainId={domainId}
          service={service}
          canEdit={canEditFeatures}
          editing={editing}
          setEditing={setEditing}
          contractRef={contractRef}
          setContractRef={setContractRef}
        />
      </div>
      <EffectiveAssignmentsCard
        clientId={clientId}
        domainId={domainId}
        service={service}
        canOverride={canOverride}
        onFixFeatures={openWithVersion}
      />
      {service.status === "active" ? (
        <ServiceRunningCard
          clientId={clientId}
          domainId={domainId}
          serviceId={service.service_id}
          assignmentKeys={allKeys}
        />
      ) : null}
    </>
  );
}

/** The service's provided features; Edit opens the editor, which can also follow another version's contract. */
function ProvidedFeaturesCard({
  clientId,
  domainId,
  service,
  canEdit,
  editing,
  setEditing,
  contractRef,
  setContractRef,
}: {
  clientId: string;
  domainId: string;
  service: Service;
  canEdit: boolean;
  editing: boolean;
  setEditing: (editing: boolean) => void;
  /** The `model@version` whose contract the editor also follows ("" for none). */
  contractRef: string;
  setContractRef: (value: string) => void;
}) {
  const id = useId();
  const target = useMemo(() => parseVersionRef(contractRef), [contractRef]);
  const { running, loading } = useServiceKeys(clientId, domainId, service.service_id);
  const editButton = useRef<HTMLButtonElement>(null);

  return (
    <Card>
      <CardHeader
        id="features-heading"
        title="Provided features"
        description="The static feature values this service supplies to the models it runs."
        actions={
          canEdit && !editing ? (
            <Button ref={editButton} size="sm" onClick={() => setEditing(true)}>
              Edit features
            </Button>
          ) : null
        }
      />
      <CardBody>
        {editing ? (
          <div className="space-y-3">
            <FormField
              id={`${id}-contract`}
              label="Also follow the contract of"
              className="max-w-md"
            >
              {(field) => (
                <ModelVersionSelect
                  {...field}
                  placeholder="Only what it runs now"
                  value={contractRef}
                  onChange={(e) => setContractRef(e.target.value)}
                />
              )}
            </FormField>
            {loading ? (
              <LoadingState label="Loading what this service runs…" />
            ) : (
              <ServiceFeaturesEditor
                key={contractRef}
                clientId={clientId}
                domainId={domainId}
                service={service}
                running={running}
                target={target}
                onClose={() => {
                  setEditing(false);
                  requestAnimationFrame(() => editButton.current?.focus());
                }}
              />
            )}
          </div>
        ) : (
          <FeatureChips
            features={service.provided_features}
            empty="This service provides no features."
          />
        )}
      </CardBody>
    </Card>
  );
}
