"use client";
// How long an API token works, the same choice for a new token and an adopted one: the options, the field, and how
// the choice goes to the API (expires_in_seconds, or never_expires) and back (its errors land on the field).
import type { UseFormRegisterReturn } from "react-hook-form";
import { FormField } from "@/components/ui/form-field";
import { Select } from "@/components/ui/input";

const DAY = 24 * 3600;

/** The form's value for `days` days. */
export const expiryDays = (days: number) => String(days * DAY);

/** 1, 7, 30 and 90 days (and a year, for a new token), then "never" in the caller's words. */
function expiryOptions(neverLabel: string, year: boolean) {
  return [
    ...[1, 7, 30, 90].map((d) => ({
      value: expiryDays(d),
      label: d === 1 ? "1 day" : `${d} days`,
    })),
    ...(year ? [{ value: expiryDays(365), label: "1 year" }] : []),
    { value: "never", label: neverLabel },
  ];
}

/** The token body's expiry for the form's choice. */
export function expiryBody(expiry: string) {
  return expiry === "never"
    ? { never_expires: true as const }
    : { expires_in_seconds: Number(expiry) };
}

/** A server error about the expiry belongs to the form's expiry field. */
export const expiryErrorPath = (path: string) =>
  path === "expires_in_seconds" || path === "never_expires" ? "expiry" : path;

export function ExpiryField({
  id,
  label,
  neverLabel,
  year = false,
  error,
  registration,
}: {
  id: string;
  label: string;
  neverLabel: string;
  /** Offer "1 year" too. */
  year?: boolean;
  error?: string;
  registration: UseFormRegisterReturn<"expiry">;
}) {
  return (
    <FormField id={id} label={label} error={error}>
      {(field) => (
        <div className="w-72">
          <Select {...field} {...registration}>
            {expiryOptions(neverLabel, year).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </div>
      )}
    </FormField>
  );
}
