"use client";
// "Adopt token": records a token that `npm run token` minted before 0.2.0 (signed with this server's secret but
// never recorded, so refused with 401 since the upgrade). Once adopted it works again, is listed here with its last
// use, expires (the chosen time, never after the JWT's own) and can be revoked. The JWT is sent once, not stored.
import { useChangeReason } from "@/components/audit/reason-field";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input, Textarea } from "@/components/ui/input";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import { useAdoptToken } from "@/lib/browser/queries/access";
import { ExpiryField, expiryBody, expiryDays, expiryErrorPath } from "./token-expiry";

const formSchema = z.object({
  token: z
    .string()
    .trim()
    .min(1, "Paste the token (the JWT the machine sends as Authorization: Bearer …)"),
  name: z.string().trim().max(200, "Use at most 200 characters"),
  expiry: z.string(),
});
type FormValues = z.input<typeof formSchema>;

const EMPTY: FormValues = { token: "", name: "", expiry: expiryDays(30) };

export function AdoptTokenDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const adoptToken = useAdoptToken();
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const controls = useDialogForm(form, {
    empty: EMPTY,
    onOpenChange,
    serverErrors: {
      fields: ["token", "name"],
      rename: expiryErrorPath,
    },
  });
  const changeReason = useChangeReason("adopt-token-reason");

  const onSubmit = controls.submit(async (values) => {
    if (!changeReason.check()) return;
    const adopted = await adoptToken.mutateAsync({
      reason: changeReason.reason,
      token: values.token,
      ...(values.name ? { name: values.name } : {}),
      ...expiryBody(values.expiry),
    });
    changeReason.reset();
    controls.close();
    toast.success(`Adopted token ${adopted.name}: it works again and is listed here`);
  });

  return (
    <FormDialog
      open={open}
      controls={controls}
      title="Adopt a token minted before 0.2.0"
      description="Tokens made by npm run token before version 0.2.0 were never recorded, so this server refuses them (401). Adopting one records it: it works again, is listed here with its last use, expires, and can be revoked. Give the machine a new token, then revoke this one."
      onSubmit={onSubmit}
      className="max-h-[70vh] space-y-4 overflow-y-auto pr-1"
      reasonField={changeReason.field}
      failureTitle="The token was not adopted"
      submitLabel="Adopt token"
      busy={isSubmitting}
    >
      <FormField
        id="adopt-token-jwt"
        label="Token"
        hint="Sent once to be checked and recorded by its id; the console does not store it."
        error={errors.token?.message}
      >
        {(field) => (
          <Textarea
            {...field}
            autoFocus
            rows={5}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
            placeholder="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…"
            {...form.register("token")}
          />
        )}
      </FormField>
      <FormField id="adopt-token-name" label="Name (optional)" error={errors.name?.message}>
        {(field) => (
          <Input
            {...field}
            autoComplete="off"
            placeholder="adopted <subject>"
            {...form.register("name")}
          />
        )}
      </FormField>
      <ExpiryField
        id="adopt-token-expiry"
        label="Keeps working for"
        neverLabel="Never (until revoked, or the token's own expiry)"
        error={errors.expiry?.message}
        registration={form.register("expiry")}
      />
    </FormDialog>
  );
}
