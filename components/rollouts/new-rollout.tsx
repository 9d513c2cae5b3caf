"use client";
// /rollouts/new: plan a rollout — the key, the model version, waves of domains with their gates — see each wave's
// affected and blocking services before anything moves, then start it.
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm, useWatch, type Control } from "react-hook-form";
import { z } from "zod";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { IdInput, Input, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { messageOf } from "@/components/ui/server-errors";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { RolloutCreateBody, RolloutPreview } from "@/lib/browser/api-client/types";
import { useModels, useVersions } from "@/lib/browser/queries/registry";
import { useCreateRollout, usePreviewRollout } from "@/lib/browser/queries/rollouts";
import { useClients, useDomains } from "@/lib/browser/queries/tenancy";

const optionalNumber = (max: number) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= max), {
      message: `a number from 0 to ${max}, or empty`,
    });

const formSchema = z.object({
  name: z.string().trim().max(200),
  client_id: z.string().min(1, "Choose a client"),
  assignment_key: z.string().trim().min(1, "Name the assignment key"),
  model_id: z.string().min(1, "Choose a model"),
  model_version: z.string().min(1, "Choose a version"),
  waves: z
    .array(
      z.object({
        name: z.string().trim().min(1, "Name the wave"),
        domains: z.array(z.string()).min(1, "Pick at least one domain"),
        wait_seconds: optionalNumber(30 * 86_400),
        min_synced_percent: optionalNumber(100),
        manual: z.boolean(),
      }),
    )
    .min(1),
});
type FormValues = z.infer<typeof formSchema>;

const emptyWave = (n: number) => ({
  name: `wave ${n}`,
  domains: [] as string[],
  wait_seconds: "",
  min_synced_percent: "",
  manual: true,
});

function toBody(v: FormValues): RolloutCreateBody {
  return {
    ...(v.name ? { name: v.name } : {}),
    assignment_key: v.assignment_key,
    model_id: v.model_id,
    model_version: v.model_version,
    waves: v.waves.map((w) => ({
      name: w.name,
      targets: w.domains.map((d) => ({ client_id: v.client_id, domain_id: d })),
      gate: {
        ...(w.wait_seconds !== "" ? { wait_seconds: Math.round(Number(w.wait_seconds)) } : {}),
        ...(w.min_synced_percent !== ""
          ? { min_synced_percent: Number(w.min_synced_percent) }
          : {}),
        ...(w.manual ? { manual: true } : {}),
      },
    })),
  };
}

export function NewRolloutPage() {
  const router = useRouter();
  const clients = useClients();
  const models = useModels();
  const preview = usePreviewRollout();
  const create = useCreateRollout();
  const [confirming, setConfirming] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: {
      name: "",
      client_id: "",
      assignment_key: "default",
      model_id: "",
      model_version: "",
      waves: [emptyWave(1)],
    },
  });
  const { register, control, handleSubmit, formState } = form;
  const waves = useFieldArray({ control, name: "waves" });
  const clientId = useWatch({ control, name: "client_id" });
  const modelId = useWatch({ control, name: "model_id" });
  const versions = useVersions(modelId || null);
  const domains = useDomains(clientId || "__none__");
  const values = useWatch({ control });
  // A preview answers the plan it was asked for: any edit makes it out of date.
  const planKey = JSON.stringify(values);
  const [previewedKey, setPreviewedKey] = useState<string | null>(null);
  const current = preview.data && previewedKey === planKey ? preview.data : null;

  const onPreview = handleSubmit((v) => {
    setStartError(null);
    setPreviewedKey(JSON.stringify(form.getValues()));
    preview.mutate(toBody(v));
  });
  const onStart = () => {
    setStartError(null);
    create.mutate(
      { body: toBody(form.getValues()) },
      {
        onSuccess: (r) => router.push(paths.rollout(r.id)),
        onError: (e) => {
          setStartError(messageOf(e));
          setConfirming(false);
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Rollouts", href: paths.rollouts() }, { label: "New rollout" }]}
        title="New rollout"
        description="Each wave is applied as a change request of its client; the next wave starts when its gate is met."
      />
      <form onSubmit={onPreview} className="space-y-5" noValidate>
        <Card>
          <CardHeader title="What moves" />
          <CardBody className="grid gap-4 sm:grid-cols-2">
            <FormField
              id="rollout-name"
              label="Name (optional)"
              error={formState.errors.name?.message}
            >
              {(c) => <Input {...c} {...register("name")} placeholder="default to 2.0.0" />}
            </FormField>
            <FormField
              id="rollout-client"
              label="Client"
              error={formState.errors.client_id?.message}
            >
              {(c) => (
                <Select {...c} {...register("client_id")}>
                  <option value="">Choose a client…</option>
                  {clients.data?.items.map((cl) => (
                    <option key={cl.client_id} value={cl.client_id}>
                      {cl.name} ({cl.client_id})
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField
              id="rollout-key"
              label="Assignment key"
              error={formState.errors.assignment_key?.message}
            >
              {(c) => <IdInput {...c} {...register("assignment_key")} />}
            </FormField>
            <FormField id="rollout-model" label="Model" error={formState.errors.model_id?.message}>
              {(c) => (
                <Select {...c} {...register("model_id")}>
                  <option value="">Choose a model…</option>
                  {models.data?.items.map((m) => (
                    <option key={m.model_id} value={m.model_id}>
                      {m.model_id}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField
              id="rollout-version"
              label="Version"
              error={formState.errors.model_version?.message}
            >
              {(c) => (
                <Select {...c} {...register("model_version")} disabled={!modelId}>
                  <option value="">Choose a version…</option>
                  {versions.data?.items.map((v) => (
                    <option key={v.version} value={v.version}>
                      {v.version}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
          </CardBody>
        </Card>

        {waves.fields.map((field, i) => (
          <WaveCard
            key={field.id}
            index={i}
            control={control}
            register={register}
            errors={formState.errors.waves?.[i]}
            domainIds={
              domains.data?.items.filter((d) => d.status === "active").map((d) => d.domain_id) ?? []
            }
            onRemove={waves.fields.length > 1 ? () => waves.remove(i) : undefined}
            preview={current?.waves[i] ?? null}
            clientId={clientId}
          />
        ))}
        <div className="flex flex-wrap gap-2">
          <Button type="button" onClick={() => waves.append(emptyWave(waves.fields.length + 1))}>
            Add a wave
          </Button>
          <Button type="submit" variant="primary" disabled={preview.isPending}>
            {preview.isPending ? "Previewing…" : "Preview"}
          </Button>
          <Button
            type="button"
            variant="primary"
            disabled={!current || current.blocked || create.isPending}
            onClick={() => setConfirming(true)}
          >
            Start rollout
          </Button>
        </div>
        {preview.error ? (
          <Alert tone="danger" role="alert" title="The preview failed">
            {messageOf(preview.error)}
          </Alert>
        ) : null}
        {current ? <PreviewSummary preview={current} /> : null}
        {!current && preview.data ? (
          <p className="text-sm text-fg-muted">
            The plan changed since the preview: preview it again.
          </p>
        ) : null}
        {startError ? (
          <Alert tone="danger" role="alert" title="The rollout did not start">
            {startError}
          </Alert>
        ) : null}
      </form>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Start this rollout?"
        description={`Wave 1 is applied now (or waits for its change request's approval); the next waves follow as their gates are met.`}
        confirmLabel="Start"
        tone="primary"
        busy={create.isPending}
        onConfirm={onStart}
      />
    </>
  );
}

function PreviewSummary({ preview }: { preview: RolloutPreview }) {
  return preview.blocked ? (
    <Alert tone="danger" role="status" title="Services block this rollout">
      Fix the blocking services listed under their waves (their static features on their pages),
      then preview again. Nothing moves until every wave is clear.
    </Alert>
  ) : (
    <Alert tone="ok" role="status" title="No service blocks it">
      {preview.waves.map((w) => `wave ${w.position}: ${w.affected_count} services`).join(" · ")}
    </Alert>
  );
}

function WaveCard({
  index,
  control,
  register,
  errors,
  domainIds,
  onRemove,
  preview,
  clientId,
}: {
  index: number;
  control: Control<FormValues>;
  register: ReturnType<typeof useForm<FormValues>>["register"];
  errors: { name?: { message?: string }; domains?: { message?: string } } | undefined;
  domainIds: string[];
  onRemove?: () => void;
  preview: RolloutPreview["waves"][number] | null;
  clientId: string;
}) {
  const all = useWatch({ control, name: "waves" });
  const elsewhere = new Set(all.flatMap((w, j) => (j === index ? [] : w.domains)));
  const p = `wave-${index}`;
  return (
    <Card>
      <CardHeader
        title={`Wave ${index + 1}`}
        actions={
          onRemove ? (
            <Button type="button" size="sm" variant="ghost" onClick={onRemove}>
              Remove wave {index + 1}
            </Button>
          ) : null
        }
      />
      <CardBody className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-4">
          <FormField id={`${p}-name`} label="Wave name" error={errors?.name?.message}>
            {(c) => <Input {...c} {...register(`waves.${index}.name`)} />}
          </FormField>
          <FormField id={`${p}-wait`} label="Wait (seconds)">
            {(c) => (
              <Input {...c} inputMode="numeric" {...register(`waves.${index}.wait_seconds`)} />
            )}
          </FormField>
          <FormField id={`${p}-synced`} label="Min. synced %">
            {(c) => (
              <Input
                {...c}
                inputMode="decimal"
                {...register(`waves.${index}.min_synced_percent`)}
              />
            )}
          </FormField>
          <label className="flex items-center gap-2 self-end text-sm">
            <input type="checkbox" {...register(`waves.${index}.manual`)} /> Promote by hand
          </label>
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Domains</legend>
          {domainIds.length === 0 ? (
            <p className="text-sm text-fg-muted">Choose a client to list its active domains.</p>
          ) : (
            <div className="mt-1 flex flex-wrap gap-3">
              {domainIds.map((d) => (
                <label key={d} className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    value={d}
                    disabled={elsewhere.has(d)}
                    {...register(`waves.${index}.domains`)}
                  />
                  <span className="font-mono">{d}</span>
                </label>
              ))}
            </div>
          )}
          {errors?.domains?.message ? (
            <p role="alert" className="text-sm text-danger">
              {errors.domains.message}
            </p>
          ) : null}
        </fieldset>
        {preview ? <WavePreview wave={preview} clientId={clientId} /> : null}
      </CardBody>
    </Card>
  );
}

function WavePreview({
  wave,
  clientId,
}: {
  wave: RolloutPreview["waves"][number];
  clientId: string;
}) {
  return (
    <div aria-label={`Preview of wave ${wave.position}`}>
      <p className="text-sm">
        {wave.affected_count} service{wave.affected_count === 1 ? "" : "s"} move;{" "}
        <span className={wave.blocking_count > 0 ? "font-medium text-danger" : ""}>
          {wave.blocking_count} blocking
        </span>
      </p>
      <Table>
        <thead>
          <tr>
            <Th>Domain</Th>
            <Th>From</Th>
            <Th>Moving services</Th>
            <Th>Blocking services</Th>
          </tr>
        </thead>
        <tbody>
          {wave.domains.map((d) => (
            <Tr key={`${d.client_id}/${d.domain_id}`}>
              <Td className="font-mono">{d.domain_id}</Td>
              <Td className="font-mono text-xs">
                {d.from.map((f) => `${f.model_id}@${f.model_version}`).join(", ") || "—"}
              </Td>
              <Td>{d.unchanged ? "already there" : d.affected_services.length}</Td>
              <Td>
                {d.blocking_services.length === 0 ? (
                  "none"
                ) : (
                  <ul className="space-y-1">
                    {d.blocking_services.map((b) => (
                      <li key={b.service_id}>
                        <Link
                          className="font-mono text-danger underline"
                          href={paths.service(clientId, d.domain_id, b.service_id)}
                        >
                          {b.service_id}
                        </Link>{" "}
                        {b.missing.length ? `missing ${b.missing.join(", ")}` : ""}
                        {b.invalid.length
                          ? ` invalid ${b.invalid.map((x) => `${x.key} (${x.expected})`).join(", ")}`
                          : ""}
                      </li>
                    ))}
                  </ul>
                )}
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
