"use client";
// One typed input per feature type, used wherever a feature value is edited (the features editor in the services
// table and on a service's page, the assignment editor's blocking-service fixer): a select of the allowed values
// for an enum, a numeric text field for numbers and integers, a switch that says true or false for a boolean, a
// text field for a string. Numbers use a text field (inputMode numeric/decimal), not type="number": a number
// input reports "ten" or "5-" as an empty value, which is how unreadable input used to remove a feature. What was
// typed is read by parseFeatureInput (lib/features/contract-form.ts), which says what is wrong with it.
import { forwardRef } from "react";
import { inputKindFor, mustBeProvided } from "@/lib/features/contract-form";
import type { FeatureDefinition } from "@/lib/features/types";
import { Input, Select } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";

export type FeatureInputProps = {
  id: string;
  definition: FeatureDefinition;
  value: string | boolean;
  onChange: (value: string | boolean) => void;
  onBlur?: () => void;
  onKeyDown?: (event: React.KeyboardEvent<HTMLElement>) => void;
  invalid?: boolean;
  describedBy?: string;
  /** The accessible name when there is no visible <label for>. */
  ariaLabel?: string;
  autoFocus?: boolean;
  disabled?: boolean;
};

export const FeatureInput = forwardRef<HTMLInputElement & HTMLSelectElement, FeatureInputProps>(
  function FeatureInput(
    {
      id,
      definition,
      value,
      onChange,
      onBlur,
      onKeyDown,
      invalid,
      describedBy,
      ariaLabel,
      autoFocus,
      disabled,
    },
    ref,
  ) {
    const common = {
      id,
      onBlur,
      onKeyDown,
      autoFocus,
      disabled,
      "aria-invalid": invalid || undefined,
      "aria-describedby": describedBy,
      "aria-label": ariaLabel,
      "aria-required": mustBeProvided(definition) || undefined,
    };
    switch (inputKindFor(definition)) {
      case "select":
        return (
          <Select
            ref={ref}
            {...common}
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(e.target.value)}
          >
            <option value="">
              {mustBeProvided(definition)
                ? "Choose…"
                : definition.default != null
                  ? `(default: ${definition.default})`
                  : "(none)"}
            </option>
            {(definition.allowed_values ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </Select>
        );
      case "switch":
        return (
          <span className="inline-flex items-center gap-2">
            <Switch
              ref={ref}
              {...common}
              checked={value === true}
              onChange={(e) => onChange(e.target.checked)}
            />
            <span className="font-mono text-sm" aria-hidden>
              {value === true ? "true" : value === false ? "false" : "not set"}
            </span>
          </span>
        );
      case "number":
      case "integer":
        return (
          <Input
            ref={ref}
            {...common}
            type="text"
            inputMode={definition.type === "integer" ? "numeric" : "decimal"}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            value={typeof value === "string" ? value : ""}
            placeholder={
              definition.default != null
                ? `default ${definition.default}`
                : definition.type === "integer"
                  ? "whole number, e.g. 12"
                  : "number, e.g. 2.5"
            }
            onChange={(e) => onChange(e.target.value)}
          />
        );
      default:
        return (
          <Input
            ref={ref}
            {...common}
            type="text"
            value={typeof value === "string" ? value : ""}
            placeholder={definition.default != null ? `default ${definition.default}` : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        );
    }
  },
);
