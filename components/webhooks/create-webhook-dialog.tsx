"use client";
// "Add webhook": the URL the client's changes are POSTed to, which kinds, and a note. The server answers the signing
// secret this once, shown in a second dialog with a copy button.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { CheckboxCards, ChoiceFieldset } from "@/components/ui/checkbox-cards";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SecretOnceDialog } from "@/components/ui/secret-once";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import { useChangeReason } from "@/components/audit/reason-field";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { useCreateWebhook, type WebhookCreated } from "@/lib/browser/queries/webhooks";
import { webhookCreateBody, webhookEvent } from "@/lib/schemas/webhooks";

const formSchema = z.object({
  url: webhookCreateBody.shape.url,
  events: z.array(webhookEvent).min(1, "Choose at least one kind of change"),
  description: z.string().trim().max(500, "Use at most 500 characters"),
});
type FormValues = z.input<typeof formSchema>;
const EMPTY: FormValues = { url: "", events: ["assignment", "service"], description: "" };

const EVENT_HELP: Record<z.infer<typeof webhookEvent>, string> = {
  assignment: "An assignment was set or retired (domain default or a service's own).",
  service: "A service was created, changed or departed.",
  change_request:
    "A change request was opened, edited, reviewed, approved, applied, withdrawn, or went stale or failed.",
  rollout:
    "A rollout started, applied or completed a wave, was promoted, paused, resumed, stopped, aborted, rolled back or completed.",
};

export function CreateWebhookDialog({
  clientId,
  open,
  onOpenChange,
}: {
  clientId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const create = useCreateWebhook(clientId);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const controls = useDialogForm(form, {
    empty: EMPTY,
    onOpenChange,
    serverErrors: { fields: ["url", "events", "description"] },
  });

  const changeReason = useChangeReason("webhook-reason", useReasonRequired(clientId));
  const onSubmit = controls.submit(async (values) => {
    if (!changeReason.check()) return;
    const webhook = await create.mutateAsync({
      reason: changeReason.reason,
      url: values.url,
      events: values.events,
      ...(values.description ? { description: values.description } : {}),
    });
    changeReason.reset();
    controls.close();
    setCreated(webhook);
  });

  return (
    <>
      <FormDialog
        open={open}
        controls={controls}
        title="Add a webhook"
        description={`Every change committed to one of ${clientId}'s domains from now on is POSTed to this URL, signed with a secret you get once.`}
        onSubmit={onSubmit}
        reasonField={changeReason.field}
        failureTitle="The webhook was not added"
        submitLabel="Add webhook"
        busy={isSubmitting}
      >
        <FormField
          id="webhook-url"
          label="URL"
          hint="An https:// address the server may reach; private and metadata addresses are refused."
          error={errors.url?.message}
        >
          {(field) => (
            <Input
              {...field}
              type="url"
              autoFocus
              autoComplete="off"
              placeholder="https://hooks.example.com/model-console"
              {...form.register("url")}
            />
          )}
        </FormField>
        <ChoiceFieldset
          legend="Changes to send"
          errorId="webhook-events-error"
          error={errors.events?.message}
        >
          <Controller
            control={form.control}
            name="events"
            render={({ field }) => (
              <CheckboxCards
                idPrefix="webhook-event"
                options={webhookEvent.options}
                help={EVENT_HELP}
                field={field}
              />
            )}
          />
        </ChoiceFieldset>
        <FormField
          id="webhook-description"
          label="Description (optional)"
          error={errors.description?.message}
        >
          {(field) => <Input {...field} autoComplete="off" {...form.register("description")} />}
        </FormField>
      </FormDialog>

      <SecretOnceDialog
        value={created?.secret ?? null}
        onDone={() => setCreated(null)}
        title="Webhook signing secret"
        description={
          created
            ? `Deliveries to ${created.url} carry X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> keyed with this secret. Give it to the receiver.`
            : undefined
        }
        label="Signing secret"
        copyLabel="Copy secret"
        rows={1}
        warning="The console can't show this secret again. Copy it now; if it is lost, delete the webhook and add a new one."
      />
    </>
  );
}
