"use client";
// The domain default editor: pick a model version, see live which services it breaks, fill in what they lack,
// and save it all as one PUT guarded by If-Match (or a POST when the key has no active revision).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import type { Crumb } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { ApiClientError, type ApiResult } from "@/lib/browser/api-client/api-fetch";
import type {
  Assignment,
  AssignmentPutBody,
  BlockingService,
} from "@/lib/browser/api-client/types";
import {
  assignmentQuery,
  previewQuery,
  useUpsertAssignment,
} from "@/lib/browser/queries/assignments";
import { useAssignmentById, useCreateAssignment } from "@/lib/browser/queries/assignment-create";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useMe } from "@/lib/browser/queries/me";
import { useModels, useVersions, versionQuery } from "@/lib/browser/queries/registry";
import { useDomain, useReasonRequired } from "@/lib/browser/queries/tenancy";
import { ReasonField, reasonProblem } from "@/components/audit/reason-field";
import {
  assignmentFormResolver,
  assignmentKeyError,
  formValuesFrom,
  reapplyOnto,
  type AssignmentFormInput,
  type FormGroup,
  type AssignmentFormOutput,
} from "./assignment-form-schema";
import { ChangeImpact } from "./change-impact";
import { CurrentRevision } from "./current-revision";
import { ModelVersion } from "./model-version";
import { RetireKeyButton } from "./retire-key-button";
import { diffRevisions, type RevisionChange } from "./revision-diff";
import { fixInputId } from "./service-fixer";
import {
  checkFixes,
  emptyRepairs,
  recordBlocking,
  serviceUpdatesOf,
  setFixValue,
  targetKey,
  type FixValue,
  type RepairState,
} from "./service-repairs";
import { useDebouncedValue } from "./use-debounced-value";
import { useScopeCrumbs } from "./use-scope-crumbs";
import { VersionContract } from "./version-contract";
import { formatActor } from "@/lib/shared/format-actor";

type Props = {
  clientId: string;
  domainId: string;
  /** null on the "new assignment" page, where the person types the key. */
  assignmentKey: string | null;
  /** An assignment_id whose values the form starts from (History's "open in editor"). */
  restoreFrom?: string | null;
};

export function AssignmentEditor({ clientId, domainId, assignmentKey, restoreFrom }: Props) {
  const scope = useMemo<ScopeKey>(
    () => ({ clientId, domainId, serviceId: null }),
    [clientId, domainId],
  );
  const creating = assignmentKey === null;
  const me = useMe();
  const current = useQuery({ ...assignmentQuery(scope, assignmentKey ?? ""), enabled: !creating });
  const startRevision = useAssignmentById(restoreFrom);
  const crumbs = useScopeCrumbs(scope, [
    { label: creating ? "New assignment key" : assignmentKey },
  ]);
  const domain = useDomain(clientId, domainId);
  const domainName = domain.data?.name ?? domainId;

  const header = (
    <EditorHeader
      crumbs={crumbs}
      scope={scope}
      assignmentKey={assignmentKey}
      domainName={domainName}
    />
  );

  const pending =
    me.isPending || (!creating && current.isPending) || (!!restoreFrom && startRevision.isPending);
  if (pending) {
    return (
      <>
        {header}
        <LoadingState label="Loading the assignment…" />
      </>
    );
  }
  // A missing key is a 404 the editor treats as "no active revision"; a missing domain must not look like one.
  const failure =
    me.error ??
    domain.error ??
    (!creating ? current.error : null) ??
    (restoreFrom ? startRevision.error : null);
  if (failure || !me.data) {
    return (
      <>
        {header}
        <ErrorState
          error={failure}
          onRetry={() => {
            void me.refetch();
            void domain.refetch();
            void current.refetch();
            if (restoreFrom) void startRevision.refetch();
          }}
        />
      </>
    );
  }

  const active = creating ? null : (current.data ?? null);
  const inactive = domain.data?.status === "inactive";
  if (!me.data.can.write_assignments || inactive) {
    return (
      <>
        {header}
        <ReadOnlyKey
          active={active?.data ?? null}
          assignmentKey={assignmentKey}
          domainName={domainName}
          reason={inactive ? "inactive" : "role"}
        />
      </>
    );
  }

  return (
    <EditorForm
      key={`${assignmentKey ?? "new"}:${restoreFrom ?? ""}`}
      scope={scope}
      fixedKey={assignmentKey}
      domainName={domainName}
      crumbs={crumbs}
      initialBase={active}
      startFrom={startRevision.data ?? active?.data ?? null}
    />
  );
}

/** The editor's title and its link to the key's history; `children` are more actions after it. */
function EditorHeader({
  crumbs,
  scope,
  assignmentKey,
  domainName,
  children,
}: {
  crumbs: Crumb[];
  scope: ScopeKey;
  /** null on the "new assignment" page. */
  assignmentKey: string | null;
  domainName: string;
  children?: ReactNode;
}) {
  return (
    <PageHeader
      crumbs={crumbs}
      title={
        assignmentKey === null ? (
          "New assignment key"
        ) : (
          <span className="font-mono">{assignmentKey}</span>
        )
      }
      description={
        assignmentKey === null
          ? `A capability every service of ${domainName} runs unless it has its own assignment for the key.`
          : `Domain default for ${domainName}: every service without its own assignment for this key runs it.`
      }
      actions={
        assignmentKey !== null ? (
          <>
            <ButtonLink href={paths.history(scope, assignmentKey)}>History</ButtonLink>
            {children}
          </>
        ) : null
      }
    />
  );
}

function ReadOnlyKey({
  active,
  assignmentKey,
  domainName,
  reason,
}: {
  active: Assignment | null;
  /** null on the "new assignment key" page. */
  assignmentKey: string | null;
  domainName: string;
  reason: "role" | "inactive";
}) {
  if (assignmentKey === null)
    return reason === "role" ? (
      <Alert tone="info" title="You can't create assignment keys">
        Creating a key in {domainName} needs the editor or admin role; ask an admin if you need it.
      </Alert>
    ) : (
      <Alert tone="warn" title={`${domainName} is inactive`}>
        The server refuses new keys in an inactive domain; activate the domain first.
      </Alert>
    );
  return (
    <div className="space-y-5">
      {reason === "role" ? (
        <Alert tone="info" title="You can view this key but not change it">
          Changing assignments needs the editor or admin role; ask an admin if you need it.
        </Alert>
      ) : (
        <Alert tone="warn" title={`${domainName} is inactive`}>
          The server refuses changes to an inactive domain&apos;s assignments; activate the domain
          first.
        </Alert>
      )}
      <CurrentRevision
        revision={active}
        emptyText={`No active revision: ${assignmentKey} is not assigned in ${domainName}.`}
      />
      {active ? (
        <Card>
          <CardBody>
            <VersionContract
              modelId={active.model_id}
              version={active.model_version}
              compareTo={null}
              headingId="contract-heading"
            />
          </CardBody>
        </Card>
      ) : null}
    </div>
  );
}

type Conflict = { kind: "changed" | "created"; message: string };
type Reloaded = {
  revision: Assignment | null;
  /** What the other change did, from the revision the person started from to the one active now. */
  changes: RevisionChange[];
  kept: FormGroup[];
  clashes: { group: FormGroup; theirs: string }[];
};

const GROUP_LABEL: Record<FormGroup, string> = {
  model: "model version",
  role: "role",
  settings: "settings",
  metadata: "metadata",
};
// The free-form JSON objects stored with a revision.
const JSON_FIELDS = [
  { name: "settings", label: "Settings", placeholder: '{"threshold": 0.5}' },
  { name: "metadata", label: "Metadata", placeholder: '{"ticket": "OPS-123"}' },
] as const;

const groupFields = (
  group: FormGroup,
): ("model_id" | "model_version" | "role" | "settings" | "metadata")[] =>
  group === "model" ? ["model_id", "model_version"] : [group];

function EditorForm({
  scope,
  fixedKey,
  domainName,
  crumbs,
  initialBase,
  startFrom,
}: {
  scope: ScopeKey;
  fixedKey: string | null;
  domainName: string;
  crumbs: Crumb[];
  initialBase: ApiResult<Assignment> | null;
  startFrom: Assignment | null;
}) {
  const { clientId, domainId } = scope;
  const creating = fixedKey === null;
  const router = useRouter();
  const queryClient = useQueryClient();
  const upsert = useUpsertAssignment(scope);
  const create = useCreateAssignment(scope);

  // The revision the person started from: its ETag goes in If-Match, so a change made meanwhile is refused, not overwritten.
  const [base, setBase] = useState<ApiResult<Assignment> | null>(initialBase);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reloaded, setReloaded] = useState<Reloaded | null>(null);
  const [repairs, setRepairs] = useState<RepairState>(emptyRepairs);
  const [serverBlocking, setServerBlocking] = useState<{
    target: string;
    list: BlockingService[];
    at: number;
    message: string;
  } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const reasonRequired = useReasonRequired(clientId);
  const saveRef = useRef<HTMLButtonElement>(null);

  const form = useForm<
    AssignmentFormInput & { assignment_key: string },
    unknown,
    AssignmentFormOutput & { assignment_key: string }
  >({
    resolver: assignmentFormResolver,
    defaultValues: { ...formValuesFrom(startFrom), assignment_key: fixedKey ?? "" },
    mode: "onTouched",
  });
  const { register, control, setValue, formState, setError } = form;
  const [modelId, version, keyText] = useWatch({
    control,
    name: ["model_id", "model_version", "assignment_key"],
  });

  const key = creating ? keyText.trim() : (fixedKey ?? "");
  const keyValid = assignmentKeyError(key) === null;
  const models = useModels();
  const versions = useVersions(modelId || null);
  const contract = useQuery({ ...versionQuery(modelId, version), enabled: !!modelId && !!version });
  const target = modelId && version ? targetKey(modelId, version) : null;

  // On the "new" page: tell the person at once when the key they type already exists.
  const debouncedKey = useDebouncedValue(creating && keyValid ? key : null, 400);
  const existing = useQuery({
    ...assignmentQuery(scope, debouncedKey ?? ""),
    enabled: creating && !!debouncedKey,
  });

  // What the preview and 422s reported, plus what they report now, so inputs never vanish as services get fixed.
  const displayBlockingFromServer =
    serverBlocking && serverBlocking.target === target ? serverBlocking : null;
  const fixes = useMemo(
    () => (target && contract.data ? checkFixes(repairs, target, contract.data.features) : []),
    [repairs, target, contract.data],
  );
  const updates = serviceUpdatesOf(fixes);

  const previewInput =
    target && keyValid
      ? {
          key,
          // Role, settings and metadata don't change which services are compatible: no re-check as they are typed.
          body: {
            model_id: modelId,
            model_version: version,
            ...(updates.length ? { service_updates: updates } : {}),
          },
        }
      : null;
  const debounced = useDebouncedValue(previewInput, 300);
  const debouncedTarget = debounced
    ? targetKey(debounced.body.model_id, debounced.body.model_version)
    : null;
  const preview = useQuery({
    ...previewQuery(
      clientId,
      domainId,
      debounced?.key ?? "",
      (debounced?.body as AssignmentPutBody | undefined) ?? null,
    ),
    // While the features typed so far are re-checked, keep showing the last answer for the same version; an
    // answer about another version would show the wrong blocking services.
    placeholderData: (previous, previousQuery) => {
      const body = previousQuery?.queryKey[6] as AssignmentPutBody | null | undefined;
      return body && debouncedTarget === targetKey(body.model_id, body.model_version)
        ? previous
        : undefined;
    },
    retry: false,
  });
  // Only an answer about the version picked now is shown (the debounce lags the form by a moment).
  const previewData = debouncedTarget === target ? preview.data : undefined;

  // Remember every service a fresh preview reports, for the target it was asked about (adjusting state while
  // rendering, as React recommends for state derived from a changing input).
  const [recorded, setRecorded] = useState<unknown>(null);
  if (preview.data && !preview.isPlaceholderData && preview.data !== recorded && debounced) {
    setRecorded(preview.data);
    setRepairs((r) =>
      recordBlocking(
        r,
        targetKey(debounced.body.model_id, debounced.body.model_version),
        preview.data.blocking_services,
      ),
    );
  }

  const serverIsNewer =
    !!displayBlockingFromServer && displayBlockingFromServer.at >= preview.dataUpdatedAt;
  const blocking: BlockingService[] = serverIsNewer
    ? displayBlockingFromServer.list
    : (previewData?.blocking_services ?? []);
  const previewCurrent =
    !!previewInput &&
    JSON.stringify(previewInput) === JSON.stringify(debounced) &&
    !preview.isPlaceholderData &&
    !preview.isFetching;

  function onFixChange(serviceId: string, featureKey: string, value: FixValue) {
    setRepairs((r) => setFixValue(r, serviceId, featureKey, value));
  }

  function showConflict(next: Conflict) {
    setConflict(next);
    setReloaded(null);
    // The banner is at the top of the form, far from Save: take the person (and the keyboard focus) to it.
    requestAnimationFrame(() => document.getElementById("reload-and-reapply")?.focus());
  }

  async function reloadAndReapply() {
    if (!key) return;
    const before = base?.data ?? null;
    try {
      const fresh = await queryClient.fetchQuery({ ...assignmentQuery(scope, key), staleTime: 0 });
      const { assignment_key, ...mine } = form.getValues();
      const start = {
        ...formValuesFrom(null),
        ...(formState.defaultValues as Partial<AssignmentFormInput>),
      };
      // With no active revision left there is nothing of theirs to take: everything the person typed stays.
      const theirs = fresh ? formValuesFrom(fresh.data) : start;
      const result = reapplyOnto(start, mine, theirs);
      form.reset({ ...theirs, assignment_key });
      for (const group of [...result.kept, ...result.clashes]) {
        for (const field of groupFields(group))
          setValue(field, result.values[field], { shouldDirty: true });
      }
      setBase(fresh);
      setConflict(null);
      setReloaded({
        revision: fresh?.data ?? null,
        changes: before && fresh ? diffRevisions(before, fresh.data) : [],
        kept: result.kept,
        clashes: result.clashes.map((group) => ({
          group,
          theirs:
            groupFields(group)
              .map((f) => theirs[f])
              .join("@") || "(none)",
        })),
      });
      void preview.refetch();
      saveRef.current?.focus();
    } catch (error) {
      toast.error(`Could not reload ${key}: ${(error as Error).message}`);
    }
  }

  const onSubmit = form.handleSubmit(
    async (values) => {
      setSubmitted(true);
      setSaveError(null);
      setServerBlocking(null);
      const invalidField = fixes.flatMap((f) =>
        f.fields.filter((field) => field.error).map((field) => fixInputId(f.serviceId, field.key)),
      )[0];
      if (invalidField) {
        setSaveError(
          "Some feature values you typed are not valid for this version; correct the highlighted fields.",
        );
        document.getElementById(invalidField)?.focus();
        return;
      }
      const badReason = reasonProblem(reason, reasonRequired);
      setReasonError(badReason);
      if (badReason) {
        document.getElementById("change-reason")?.focus();
        return;
      }
      const saveKey = values.assignment_key.trim();
      const body: AssignmentPutBody = {
        model_id: values.model_id,
        model_version: values.model_version,
        status: "active",
        role: values.role,
        settings: values.settings,
        metadata: values.metadata,
        ...(updates.length ? { service_updates: updates } : {}),
      };
      try {
        const result = base
          ? await upsert.mutateAsync({ key: saveKey, body, ifMatch: base.etag, reason })
          : await create.mutateAsync({ key: saveKey, body, reason });
        const row = result.data;
        if (base && row.assignment_id === base.data.assignment_id) {
          toast.info(`Nothing to save: revision ${row.revision} already runs exactly this.`);
          return;
        }
        const extra = updates.length
          ? ` and ${updates.length} service ${updates.length === 1 ? "update" : "updates"}`
          : "";
        toast.success(
          `Saved revision ${row.revision} of ${saveKey}: ${row.model_id}@${row.model_version}${extra}`,
        );
        router.push(paths.history(scope, saveKey));
      } catch (error) {
        handleSaveError(error, body);
      }
    },
    () => setSubmitted(true),
  );

  function handleSaveError(error: unknown, body: AssignmentPutBody) {
    if (!(error instanceof ApiClientError)) {
      setSaveError((error as Error).message);
      return;
    }
    if (error.status === 412 || error.status === 409) {
      showConflict({ kind: error.status === 412 ? "changed" : "created", message: error.message });
      return;
    }
    if (error.status === 422 && error.blockingServices.length > 0) {
      const saved = targetKey(body.model_id, body.model_version);
      setRepairs((r) => recordBlocking(r, saved, error.blockingServices));
      setServerBlocking({
        target: saved,
        list: error.blockingServices,
        at: Date.now(),
        message: error.message,
      });
      void preview.refetch();
      document.getElementById("blocking-heading")?.focus();
      return;
    }
    const fields = [
      "model_id",
      "model_version",
      "role",
      "settings",
      "metadata",
      "assignment_key",
    ] as const;
    let placed = false;
    for (const issue of error.issues) {
      const field = fields.find((f) => f === issue.path);
      if (field) {
        setError(field, { message: issue.message });
        placed = true;
      }
    }
    if (error.status === 422 && /model|version/i.test(error.message)) {
      setError("model_version", { message: error.message });
      placed = true;
    }
    if (!placed || error.issues.length === 0) setSaveError(error.message);
  }

  const saving = upsert.isPending || create.isPending;
  const selectedModel = models.data?.items.find((m) => m.model_id === modelId);
  const compareTo = base && base.data.model_id === modelId ? base.data.model_version : null;
  const versionItems = [...(versions.data?.items ?? [])].sort((a, b) =>
    b.created_at.localeCompare(a.created_at),
  );
  const blockingCount = blocking.length;
  // The server's words stay next to the blocking services until they are all fixed or the person saves again.
  const refusal =
    displayBlockingFromServer && blocking.length > 0 ? displayBlockingFromServer.message : null;

  return (
    <>
      <EditorHeader crumbs={crumbs} scope={scope} assignmentKey={fixedKey} domainName={domainName}>
        {fixedKey !== null && base ? (
          <RetireKeyButton
            scope={scope}
            assignmentKey={fixedKey}
            scopeLabel={domainName}
            base={base}
            onConflict={(message) => showConflict({ kind: "changed", message })}
          />
        ) : null}
      </EditorHeader>

      <form onSubmit={onSubmit} noValidate className="space-y-5">
        {conflict ? (
          <Alert
            tone="danger"
            role="alert"
            title={
              conflict.kind === "changed"
                ? "Someone else changed this key since you opened it"
                : "Someone else created this key since you opened the form"
            }
            actions={
              <Button
                id="reload-and-reapply"
                variant="primary"
                onClick={() => void reloadAndReapply()}
              >
                Reload and reapply
              </Button>
            }
          >
            <p>{conflict.message}</p>
            <p className="mt-1 text-fg-muted">
              Nothing was saved. Reload to see their revision; your choices and the features you
              typed stay in the form, so you can check them against it and save again.
            </p>
          </Alert>
        ) : null}
        {reloaded ? (
          <Alert
            tone="warn"
            role="status"
            title={
              reloaded.revision
                ? `Reloaded: revision ${reloaded.revision.revision} by ${formatActor(reloaded.revision.created_by)} is active now`
                : "Reloaded: the key has no active revision any more"
            }
          >
            {reloaded.changes.length > 0 ? (
              <p>
                Their change:{" "}
                {reloaded.changes.map((c, i) => (
                  <span key={c.field}>
                    {i > 0 ? "; " : ""}
                    <code className="font-mono">{c.field}</code> {c.from ?? "(none)"} →{" "}
                    {c.to ?? "(none)"}
                  </span>
                ))}
                .
              </p>
            ) : null}
            <p>
              {reloaded.kept.length > 0
                ? `Your changes to ${reloaded.kept.map((g) => GROUP_LABEL[g]).join(", ")} are reapplied on top.`
                : reloaded.clashes.length === 0
                  ? "You had not changed anything yet."
                  : null}
            </p>
            {reloaded.clashes.map((c) => (
              <p key={c.group} className="text-danger">
                You both changed the {GROUP_LABEL[c.group]}: the form keeps yours (theirs was{" "}
                {c.theirs}).
              </p>
            ))}
            <p className="text-fg-muted">Review the form and save again.</p>
          </Alert>
        ) : null}

        {!creating ? (
          <CurrentRevision
            revision={base?.data ?? null}
            title="Running now"
            emptyText={`No active revision: ${fixedKey} is not assigned in ${domainName}. Saving creates one.`}
          />
        ) : null}

        <Card>
          <CardHeader
            id="target-heading"
            title={creating ? "What the key runs" : "Change to"}
            description="The model version every service of the domain runs for this key, unless it has its own."
          />
          <CardBody>
            <div className="grid gap-6 lg:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
              <div className="space-y-4">
                {creating ? (
                  <div className="space-y-1">
                    <FormField
                      id="assignment_key"
                      label="Assignment key"
                      hint="The capability's stable name, like default, eta or anomaly."
                      error={formState.errors.assignment_key?.message}
                    >
                      {(field) => (
                        <Input
                          {...field}
                          autoComplete="off"
                          placeholder="e.g. eta"
                          {...register("assignment_key")}
                        />
                      )}
                    </FormField>
                    {existing.data ? (
                      <Alert tone="warn" title={`${key} already exists in ${domainName}`}>
                        It runs{" "}
                        <ModelVersion
                          modelId={existing.data.data.model_id}
                          version={existing.data.data.model_version}
                        />{" "}
                        (revision {existing.data.data.revision}).{" "}
                        <Link
                          className="text-accent underline"
                          href={paths.editor(clientId, domainId, key)}
                        >
                          Open its editor
                        </Link>{" "}
                        to change it.
                      </Alert>
                    ) : null}
                  </div>
                ) : null}
                <FormField
                  id="model_id"
                  label="Model"
                  error={
                    formState.errors.model_id?.message ??
                    (models.error ? `Could not load models: ${models.error.message}` : null)
                  }
                >
                  {(field) => (
                    <>
                      <Select
                        {...field}
                        {...register("model_id", { onChange: () => setValue("model_version", "") })}
                        // Controlled, so the value shows once the options (loaded after the form) arrive.
                        value={modelId}
                      >
                        <option value="">
                          {models.isPending ? "Loading models…" : "Choose a model…"}
                        </option>
                        {(models.data?.items ?? []).map((m) => (
                          <option key={m.model_id} value={m.model_id}>
                            {m.model_id}
                          </option>
                        ))}
                      </Select>
                      {selectedModel ? (
                        <p className="text-xs text-fg-muted">
                          {selectedModel.name}
                          {selectedModel.description ? `: ${selectedModel.description}` : ""}
                        </p>
                      ) : null}
                    </>
                  )}
                </FormField>
                <FormField
                  id="model_version"
                  label="Version"
                  error={formState.errors.model_version?.message}
                >
                  {(field) => (
                    <Select
                      {...field}
                      disabled={!modelId}
                      {...register("model_version")}
                      value={version}
                    >
                      <option value="">
                        {!modelId
                          ? "Choose a model first"
                          : versions.isPending
                            ? "Loading versions…"
                            : "Choose a version…"}
                      </option>
                      {versionItems.map((v) => (
                        <option key={v.version} value={v.version}>
                          {v.version}
                          {base &&
                          base.data.model_id === modelId &&
                          base.data.model_version === v.version
                            ? " (running now)"
                            : ""}
                        </option>
                      ))}
                    </Select>
                  )}
                </FormField>
                <FormField
                  id="role"
                  label={
                    <>
                      Role <span className="font-normal text-fg-muted">(optional)</span>
                    </>
                  }
                  error={formState.errors.role?.message}
                >
                  {(field) => <Input {...field} autoComplete="off" {...register("role")} />}
                </FormField>
              </div>
              <div className="min-w-0">
                <VersionContract
                  modelId={modelId}
                  version={version}
                  compareTo={compareTo}
                  headingId="contract-heading"
                />
                {base && modelId && base.data.model_id !== modelId ? (
                  <p className="mt-2 text-sm text-fg-muted">
                    A different model than the one running now ({base.data.model_id}); the impact
                    below shows which services can run it.
                  </p>
                ) : null}
              </div>
            </div>
          </CardBody>
        </Card>

        <ChangeImpact
          ready={!!target && keyValid}
          loading={!previewData}
          updating={!!previewInput && !previewCurrent && !!previewData}
          error={debouncedTarget === target ? preview.error : null}
          preview={previewData}
          blocking={blocking}
          fixes={fixes}
          saveRefusal={refusal}
          showErrors={submitted}
          serviceHref={(serviceId) => paths.service(clientId, domainId, serviceId)}
          onFixChange={onFixChange}
        />

        <Card>
          <CardHeader
            title="Settings and metadata"
            description="Free-form JSON objects stored with the revision; leave empty for {}."
          />
          <CardBody className="grid gap-4 md:grid-cols-2">
            {JSON_FIELDS.map(({ name, label, placeholder }) => (
              <FormField key={name} id={name} label={label} error={formState.errors[name]?.message}>
                {(field) => (
                  <Textarea
                    {...field}
                    rows={6}
                    spellCheck={false}
                    placeholder={placeholder}
                    {...register(name)}
                  />
                )}
              </FormField>
            ))}
          </CardBody>
        </Card>

        <Card>
          <CardBody>
            <ReasonField
              id="change-reason"
              value={reason}
              onChange={setReason}
              required={reasonRequired}
              error={reasonError}
            />
          </CardBody>
        </Card>

        <div className="sticky bottom-0 z-10 -mx-4 border-t border-border bg-bg/95 px-4 py-3 backdrop-blur">
          <div className="flex flex-wrap items-center gap-3">
            <Button ref={saveRef} type="submit" variant="primary" busy={saving}>
              {creating ? "Create" : "Save"}
            </Button>
            <ButtonLink href={paths.domain(clientId, domainId)} variant="ghost">
              Cancel
            </ButtonLink>
            <p className="text-sm text-fg-muted" aria-live="polite">
              {!target
                ? "Pick a model and a version."
                : !previewData
                  ? "Checking which services this change affects…"
                  : blockingCount > 0
                    ? `${blockingCount} ${blockingCount === 1 ? "service still blocks" : "services still block"} this change; the server will refuse it until they are fixed.`
                    : updates.length > 0
                      ? `Saves the new revision with ${updates.length} service ${updates.length === 1 ? "update" : "updates"}, in one step.`
                      : base
                        ? `Saves a new revision after ${base.data.revision}, only if nobody changed the key meanwhile.`
                        : "Creates the key's first active revision."}
            </p>
            {previewData && blockingCount > 0 ? (
              // The blocking list is usually below the fold: jump to it (and to its first input).
              <Button
                size="sm"
                onClick={() => {
                  const heading = document.getElementById("blocking-heading");
                  heading?.scrollIntoView({ block: "start" });
                  heading?.focus({ preventScroll: true });
                }}
              >
                Go to the blocking services
              </Button>
            ) : null}
          </div>
          {conflict ? (
            <p className="mt-2 text-sm text-danger">
              Not saved: someone else changed this key. Reload and reapply, at the top of the form.
            </p>
          ) : null}
          {saveError ? (
            <p role="alert" className="mt-2 text-sm text-danger">
              {saveError}
            </p>
          ) : null}
        </div>
      </form>
    </>
  );
}
