"use client";
// "Add person": email, name, role and an optional password. Without one the server generates it and answers it
// this once, so it is shown in a second dialog with a copy button.
import { useChangeReason } from "@/components/audit/reason-field";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import { SecretOnceDialog } from "@/components/ui/secret-once";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import { ROLES } from "@/lib/shared/scopes";
import { useCreateUser, type UserCreated } from "@/lib/browser/queries/access";
import { roleSchema, userCreateBody } from "@/lib/schemas/access";
import { ROLE_HELP } from "./access-labels";

const formSchema = z.object({
  email: userCreateBody.shape.email,
  name: z.string().trim().max(200, "Use at most 200 characters"),
  role: roleSchema,
  // Empty: the server generates one.
  password: z.literal("").or(userCreateBody.shape.password.unwrap()),
});
type FormValues = z.input<typeof formSchema>;
const EMPTY: FormValues = { email: "", name: "", role: "viewer", password: "" };

export function AddPersonDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const createUser = useCreateUser();
  const [created, setCreated] = useState<(UserCreated & { password: string }) | null>(null);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const role = useWatch({ control: form.control, name: "role" });
  const controls = useDialogForm(form, {
    empty: EMPTY,
    onOpenChange,
    serverErrors: { fields: ["email", "name", "role", "password"], conflictField: "email" },
  });

  const changeReason = useChangeReason("person-reason");
  const onSubmit = controls.submit(async (values) => {
    if (!changeReason.check()) return;
    const user = await createUser.mutateAsync({
      reason: changeReason.reason,
      email: values.email,
      role: values.role,
      ...(values.name ? { name: values.name } : {}),
      ...(values.password ? { password: values.password } : {}),
    });
    changeReason.reset();
    controls.close();
    if (user.password) setCreated({ ...user, password: user.password });
    else toast.success(`Added ${user.email} as ${user.role}`);
  });

  return (
    <>
      <FormDialog
        open={open}
        controls={controls}
        title="Add a person"
        description="They sign in to the console with their email and password; the role decides what they may change."
        onSubmit={onSubmit}
        reasonField={changeReason.field}
        failureTitle="The person was not added"
        submitLabel="Add person"
        busy={isSubmitting}
      >
        <FormField id="person-email" label="Email" error={errors.email?.message}>
          {(field) => (
            <Input
              {...field}
              type="email"
              autoFocus
              autoComplete="off"
              {...form.register("email")}
            />
          )}
        </FormField>
        <FormField id="person-name" label="Name (optional)" error={errors.name?.message}>
          {(field) => <Input {...field} autoComplete="off" {...form.register("name")} />}
        </FormField>
        <FormField
          id="person-role"
          label="Role"
          hint={ROLE_HELP[role]}
          error={errors.role?.message}
        >
          {(field) => (
            <Select {...field} {...form.register("role")}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <FormField
          id="person-password"
          label="Password (optional)"
          hint="Leave empty to have a strong one generated; it is shown to you once."
          error={errors.password?.message}
        >
          {(field) => (
            <Input
              {...field}
              type="password"
              autoComplete="new-password"
              {...form.register("password")}
            />
          )}
        </FormField>
      </FormDialog>

      <SecretOnceDialog
        value={created?.password ?? null}
        onDone={() => setCreated(null)}
        title={created ? `Password for ${created.email}` : "Password"}
        description={
          created
            ? `${created.email} was added as ${created.role}. Give them this password over a channel you trust.`
            : undefined
        }
        label="Generated password"
        copyLabel="Copy password"
        rows={1}
        warning="The console does not keep this password and can't show it again. Copy it now; if it is lost, set a new one for them."
      />
    </>
  );
}
