"use client";
// "Register model": a model id (immutable, used in every assignment), a display name and a description.
import { ID_RULE } from "@/lib/schemas/id";
import { useChangeReason } from "@/components/audit/reason-field";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { paths } from "@/components/paths";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormField } from "@/components/ui/form-field";
import { IdInput, Input, Textarea } from "@/components/ui/input";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import { useCreateModel } from "@/lib/browser/queries/registry-writes";
import { modelCreateBody } from "@/lib/schemas/registry";

// The server's own field rules; empty optional fields are left out of the request.
const formSchema = z.object({
  model_id: modelCreateBody.shape.model_id,
  name: z.string().trim().max(200),
  description: z.string().trim().max(2000),
});
type FormValues = z.infer<typeof formSchema>;
const EMPTY: FormValues = { model_id: "", name: "", description: "" };

export function RegisterModelDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const router = useRouter();
  const createModel = useCreateModel();
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const controls = useDialogForm(form, {
    empty: EMPTY,
    onOpenChange,
    serverErrors: { fields: ["model_id", "name", "description"], conflictField: "model_id" },
  });

  const changeReason = useChangeReason("model-reason");
  const onSubmit = controls.submit(async (values) => {
    if (!changeReason.check()) return;
    const model = await createModel.mutateAsync({
      reason: changeReason.reason,
      model_id: values.model_id,
      ...(values.name ? { name: values.name } : {}),
      ...(values.description ? { description: values.description } : {}),
    });
    toast.success(`Registered model ${model.model_id}`);
    changeReason.reset();
    controls.close();
    router.push(paths.model(model.model_id));
  });

  return (
    <FormDialog
      open={open}
      controls={controls}
      title="Register a model"
      description="The model id is permanent: assignments refer to it. Versions, each with its feature contract, are added on the model's page."
      onSubmit={onSubmit}
      reasonField={changeReason.field}
      failureTitle="The model was not registered"
      submitLabel="Register model"
      busy={isSubmitting}
    >
      <FormField
        id="model-id"
        label="Model id"
        hint={`Use ${ID_RULE}.`}
        error={errors.model_id?.message}
      >
        {(field) => (
          <IdInput
            {...field}
            autoFocus
            placeholder="demand-forecast"
            {...form.register("model_id")}
          />
        )}
      </FormField>
      <FormField id="model-name" label="Name (optional)" error={errors.name?.message}>
        {(field) => (
          <Input
            {...field}
            autoComplete="off"
            placeholder="Demand forecast"
            {...form.register("name")}
          />
        )}
      </FormField>
      <FormField
        id="model-description"
        label="Description (optional)"
        error={errors.description?.message}
      >
        {(field) => (
          <Textarea {...field} rows={3} className="font-sans" {...form.register("description")} />
        )}
      </FormField>
    </FormDialog>
  );
}
