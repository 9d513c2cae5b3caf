"use client";
// "Create token": a machine's name, its scopes, the clients it may touch and how long it lives. The server
// answers the JWT this once; it is shown in a second dialog with a copy button.
import { useChangeReason } from "@/components/audit/reason-field";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm, useWatch, type Control } from "react-hook-form";
import { z } from "zod";
import { CheckboxCards, ChoiceFieldset, toggled } from "@/components/ui/checkbox-cards";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SecretOnceDialog } from "@/components/ui/secret-once";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import { SCOPES } from "@/lib/shared/scopes";
import { useCreateToken, type ApiTokenCreated } from "@/lib/browser/queries/access";
import { useClients } from "@/lib/browser/queries/tenancy";
import { apiTokenCreateBody, scopeSchema } from "@/lib/schemas/access";
import { SCOPE_HELP } from "./access-labels";
import { ExpiryField, expiryBody, expiryDays, expiryErrorPath } from "./token-expiry";

const CLIENTS_MODES = [
  { value: "some", label: "Only these clients" },
  { value: "all", label: "All clients, including future ones" },
] as const;

const formSchema = z
  .object({
    name: apiTokenCreateBody.shape.name,
    subject: z.string().trim().max(200, "Use at most 200 characters"),
    scopes: z.array(scopeSchema).min(1, "Choose at least one scope"),
    clientsMode: z.enum(["all", "some"]),
    clients: z.array(z.string()),
    expiry: z.string(),
  })
  .superRefine((values, ctx) => {
    if (values.clientsMode === "some" && values.clients.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["clients"],
        message: "Choose at least one client, or allow all clients",
      });
    }
  });
type FormValues = z.input<typeof formSchema>;

const EMPTY: FormValues = {
  name: "",
  subject: "",
  scopes: [],
  clientsMode: "some",
  clients: [],
  expiry: expiryDays(90),
};

export function CreateTokenDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const createToken = useCreateToken();
  // Loaded with the page, so the list is there when the dialog opens.
  const clients = useClients();
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const name = useWatch({ control: form.control, name: "name" });
  const controls = useDialogForm(form, {
    empty: EMPTY,
    onOpenChange,
    serverErrors: {
      fields: ["name", "subject", "scopes", "clients"],
      rename: expiryErrorPath,
    },
  });

  const changeReason = useChangeReason("token-reason");
  const onSubmit = controls.submit(async (values) => {
    if (!changeReason.check()) return;
    const token = await createToken.mutateAsync({
      reason: changeReason.reason,
      name: values.name,
      ...(values.subject ? { subject: values.subject } : {}),
      scopes: values.scopes,
      clients: values.clientsMode === "all" ? "*" : values.clients,
      // No expiry must be asked for explicitly: the server gives tokens 90 days otherwise.
      ...expiryBody(values.expiry),
    });
    changeReason.reset();
    controls.close();
    setCreated(token);
  });

  return (
    <>
      <FormDialog
        open={open}
        controls={controls}
        title="Create an API token"
        description="For a machine that calls the /v2 API. Give it only the scopes and clients it needs."
        onSubmit={onSubmit}
        className="max-h-[70vh] space-y-4 overflow-y-auto pr-1"
        reasonField={changeReason.field}
        failureTitle="The token was not created"
        submitLabel="Create token"
        busy={isSubmitting}
      >
        <FormField id="token-name" label="Name" error={errors.name?.message}>
          {(field) => (
            <Input
              {...field}
              autoFocus
              autoComplete="off"
              placeholder="nightly-batch"
              {...form.register("name")}
            />
          )}
        </FormField>
        <FormField
          id="token-subject"
          label="Subject (optional)"
          hint="Recorded as the author of the token's writes."
          error={errors.subject?.message}
        >
          {(field) => (
            <Input
              {...field}
              autoComplete="off"
              placeholder={`token:${name.trim() || "<name>"}`}
              {...form.register("subject")}
            />
          )}
        </FormField>

        <ChoiceFieldset legend="Scopes" errorId="token-scopes-error" error={errors.scopes?.message}>
          <Controller
            control={form.control}
            name="scopes"
            render={({ field }) => (
              <CheckboxCards
                idPrefix="token-scope"
                options={SCOPES}
                help={SCOPE_HELP}
                field={field}
              />
            )}
          />
        </ChoiceFieldset>

        <ChoiceFieldset
          legend="Clients"
          errorId="token-clients-error"
          error={errors.clients?.message}
        >
          <div className="flex flex-wrap gap-4 text-sm">
            {CLIENTS_MODES.map((mode) => (
              <label key={mode.value} className="flex items-center gap-2">
                <input
                  type="radio"
                  value={mode.value}
                  className="size-4 accent-accent"
                  {...form.register("clientsMode")}
                />
                {mode.label}
              </label>
            ))}
          </div>
          <ClientChoices control={form.control} clients={clients} />
        </ChoiceFieldset>

        <ExpiryField
          id="token-expiry"
          label="Expires after"
          neverLabel="Never (until revoked)"
          year
          error={errors.expiry?.message}
          registration={form.register("expiry")}
        />
      </FormDialog>

      <SecretOnceDialog
        value={created?.token ?? null}
        onDone={() => setCreated(null)}
        title={created ? `Token "${created.name}" created` : "Token created"}
        description="Send it as Authorization: Bearer <token>. Revoke it here when the machine no longer needs it."
        label="API token"
        copyLabel="Copy token"
        rows={5}
        warning="The console does not store this token and can't show it again. Copy it into the machine's secret store now; if it is lost, revoke it and create another."
      />
    </>
  );
}

/** The clients a token limited to "Only these clients" may touch: one checkbox per client, with its name. */
function ClientChoices({
  control,
  clients,
}: {
  control: Control<FormValues>;
  clients: ReturnType<typeof useClients>;
}) {
  const clientsMode = useWatch({ control, name: "clientsMode" });
  if (clientsMode !== "some") return null;
  if (clients.isPending) return <p className="text-sm text-fg-muted">Loading clients…</p>;
  if (clients.error)
    return (
      <p className="text-sm text-danger">Could not load the clients: {clients.error.message}</p>
    );
  return (
    <Controller
      control={control}
      name="clients"
      render={({ field }) => (
        <div className="grid max-h-48 gap-1.5 overflow-y-auto sm:grid-cols-2">
          {clients.data.items.map((client) => {
            const id = `token-client-${client.client_id}`;
            return (
              <div
                key={client.client_id}
                className="flex items-center gap-2 rounded-md border border-border p-2 text-sm"
              >
                <input
                  id={id}
                  type="checkbox"
                  className="size-4 accent-accent"
                  aria-describedby={`${id}-name`}
                  checked={field.value.includes(client.client_id)}
                  onChange={(e) =>
                    field.onChange(toggled(field.value, client.client_id, e.target.checked))
                  }
                  onBlur={field.onBlur}
                />
                <label htmlFor={id} className="shrink-0 font-mono whitespace-nowrap">
                  {client.client_id}
                </label>
                <span id={`${id}-name`} className="truncate text-fg-muted">
                  {client.name}
                </span>
              </div>
            );
          })}
        </div>
      )}
    />
  );
}
