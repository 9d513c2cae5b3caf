"use client";
// "Register model": a model id (immutable, used in every assignment), a display name and a description.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { applyServerError } from "@/components/ui/server-errors";
import { useCreateModel } from "@/lib/queries/registry-writes";
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
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  const close = (next: boolean) => {
    if (!next) {
      form.reset(EMPTY);
      setFailure(null);
    }
    onOpenChange(next);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const model = await createModel.mutateAsync({
        model_id: values.model_id,
        ...(values.name ? { name: values.name } : {}),
        ...(values.description ? { description: values.description } : {}),
      });
      toast.success(`Registered model ${model.model_id}`);
      close(false);
      router.push(`/models/${encodeURIComponent(model.model_id)}`);
    } catch (error) {
      setFailure(
        applyServerError(error, form.setError, {
          fields: ["model_id", "name", "description"],
          conflictField: "model_id",
        }),
      );
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Register a model"
      description="The model id is permanent: assignments refer to it. Versions, each with its feature contract, are added on the model's page."
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <div className="space-y-1">
          <Label htmlFor="model-id">Model id</Label>
          <Input
            id="model-id"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="demand-forecast"
            className="font-mono"
            aria-invalid={!!errors.model_id}
            aria-describedby="model-id-hint model-id-error"
            {...form.register("model_id")}
          />
          <p id="model-id-hint" className="text-xs text-fg-muted">
            Letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter
            or digit.
          </p>
          <FieldError id="model-id-error" message={errors.model_id?.message} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="model-name">Name (optional)</Label>
          <Input
            id="model-name"
            autoComplete="off"
            placeholder="Demand forecast"
            aria-invalid={!!errors.name}
            aria-describedby="model-name-error"
            {...form.register("name")}
          />
          <FieldError id="model-name-error" message={errors.name?.message} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="model-description">Description (optional)</Label>
          <Textarea
            id="model-description"
            rows={3}
            className="font-sans"
            aria-invalid={!!errors.description}
            aria-describedby="model-description-error"
            {...form.register("description")}
          />
          <FieldError id="model-description-error" message={errors.description?.message} />
        </div>
        {failure ? (
          <Notice tone="danger" role="alert" title="The model was not registered">
            {failure}
          </Notice>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={isSubmitting}>
            Register model
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
