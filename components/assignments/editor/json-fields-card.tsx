"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/input";
import type { EditorFormApi } from "./form";

// The free-form JSON objects stored with a revision.
const JSON_FIELDS = [
  { name: "settings", label: "Settings", placeholder: '{"threshold": 0.5}' },
  { name: "metadata", label: "Metadata", placeholder: '{"ticket": "OPS-123"}' },
] as const;

export function JsonFieldsCard({ form }: { form: EditorFormApi }) {
  return (
    <Card>
      <CardHeader
        title="Settings and metadata"
        description="Free-form JSON objects stored with the revision; leave empty for {}."
      />
      <CardBody className="grid gap-4 md:grid-cols-2">
        {JSON_FIELDS.map(({ name, label, placeholder }) => (
          <FormField
            key={name}
            id={name}
            label={label}
            error={form.formState.errors[name]?.message}
          >
            {(field) => (
              <Textarea
                {...field}
                rows={6}
                spellCheck={false}
                placeholder={placeholder}
                {...form.register(name)}
              />
            )}
          </FormField>
        ))}
      </CardBody>
    </Card>
  );
}
