"use client";
// Choosing several of a list with checkboxes: a fieldset with its legend and error, and the checkboxes as cards
// (a name and a line of help each), as for a token's scopes or a webhook's kinds of change.
import type { ReactNode } from "react";
import { FieldError } from "./input";

/** `values` with `value` in it when `on`, without it otherwise: one checkbox of a list. */
export function toggled<T>(values: readonly T[], value: T, on: boolean): T[] {
  return on ? [...values, value] : values.filter((v) => v !== value);
}

/** A group of choices: the legend names it; `error` (as `${errorId}`) says what is wrong with the choice. */
export function ChoiceFieldset({
  legend,
  errorId,
  error,
  children,
}: {
  legend: string;
  errorId: string;
  error: string | undefined;
  children: ReactNode;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={errorId}>
      <legend className="text-sm font-medium">{legend}</legend>
      {children}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}

/** One checkbox card per option; the checkbox of option `o` has the id `${idPrefix}-${o}` (":" becomes "-"). */
export function CheckboxCards<T extends string>({
  idPrefix,
  options,
  help,
  field: { value, onChange, onBlur },
}: {
  idPrefix: string;
  options: readonly T[];
  help: Record<T, ReactNode>;
  /** The chosen options (a react-hook-form Controller's field). */
  field: { value: T[]; onChange: (value: T[]) => void; onBlur: () => void };
}) {
  return (
    <div className="grid gap-1.5 sm:grid-cols-2">
      {options.map((option) => {
        const id = `${idPrefix}-${option.replace(":", "-")}`;
        return (
          <div key={option} className="flex items-start gap-2 rounded-md border border-border p-2">
            <input
              id={id}
              type="checkbox"
              className="mt-0.5 size-4 accent-accent"
              aria-describedby={`${id}-help`}
              checked={value.includes(option)}
              onChange={(e) => onChange(toggled(value, option, e.target.checked))}
              onBlur={onBlur}
            />
            <div className="min-w-0">
              <label htmlFor={id} className="font-mono text-sm">
                {option}
              </label>
              <p id={`${id}-help`} className="text-xs text-fg-muted">
                {help[option]}
              </p>
            </div>
          </div>
        );
      })}
    </div>
  );
}
