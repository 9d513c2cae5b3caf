"use client";
import { forwardRef, type SelectHTMLAttributes } from "react";
import { Select } from "@/components/ui/input";
import { useModels } from "@/lib/browser/queries/registry";

/** A select of every registered `model@version`, grouped by model. The first option is `placeholder` (value ""). */
export const ModelVersionSelect = forwardRef<
  HTMLSelectElement,
  SelectHTMLAttributes<HTMLSelectElement> & { placeholder: string }
>(function ModelVersionSelect({ placeholder, ...props }, ref) {
  const models = useModels();
  return (
    <Select ref={ref} {...props}>
      <option value="">{models.isPending ? "Loading versions…" : placeholder}</option>
      {models.data?.items.map((model) => (
        <optgroup
          key={model.model_id}
          label={
            model.name === model.model_id ? model.model_id : `${model.name} (${model.model_id})`
          }
        >
          {model.versions.map((version) => (
            <option key={version} value={`${model.model_id}@${version}`}>
              {model.model_id}@{version}
            </option>
          ))}
        </optgroup>
      ))}
    </Select>
  );
});

/** The version a `model@version` value names (null for "" or a value without both parts). */
export function parseVersionRef(value: string): { model_id: string; model_version: string } | null {
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return null;
  return { model_id: value.slice(0, at), model_version: value.slice(at + 1) };
}
