"use client";
// Search and filters of the services table. Text fields write to the URL after a pause in typing (or on Enter);
// selects write at once. Every change goes back to the first page.
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import { ModelVersionSelect } from "./model-version-select";
import {
  hasFilters,
  isFeatureFilter,
  type ServicesTableParams,
  type ServiceStatusFilter,
} from "./use-services-table-params";

const DEBOUNCE_MS = 300;

/** A text field mirrored to a URL param: local while typing, committed after a pause; follows the URL on Back. */
function useDebouncedParam(
  value: string,
  commit: (text: string) => void,
  accept: (text: string) => boolean = () => true,
) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    // The URL changed under us (Back, Clear filters): show what it says.
    setSeen(value);
    setText(value);
  }
  const commitRef = useRef(commit);
  useEffect(() => {
    commitRef.current = commit;
  });
  const flush = (next: string) => {
    if (next === value || !accept(next)) return;
    setSeen(next);
    commitRef.current(next);
  };
  const flushRef = useRef(flush);
  useEffect(() => {
    flushRef.current = flush;
  });
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => flushRef.current(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value]);
  return { text, setText, flush: () => flush(text) };
}

export function ServicesFilters({
  params,
  update,
  featureFilterValid,
}: {
  params: ServicesTableParams;
  update: (patch: Partial<ServicesTableParams>, mode?: "push" | "replace") => void;
  featureFilterValid: boolean;
}) {
  const id = useId();
  const search = useDebouncedParam(params.q, (q) =>
    update({ q: q.trim() === "" ? "" : q }, "replace"),
  );
  const feature = useDebouncedParam(
    params.feature,
    (f) => update({ feature: f.trim() }, "replace"),
    (f) => isFeatureFilter(f.trim()),
  );
  const featureError = !isFeatureFilter(feature.text.trim())
    ? "Use key=value (e.g. route=route-a), or key= for services without the key"
    : !featureFilterValid
      ? "This filter in the address is not key=value: it is ignored"
      : null;
  const filtered = hasFilters(params);

  const onEnter = (flush: () => void) => (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      flush();
    }
  };

  return (
    <div
      role="search"
      aria-label="Filter services"
      className="grid gap-3 border-b border-border px-4 py-3 sm:grid-cols-2 lg:grid-cols-[minmax(10rem,1.2fr)_8rem_minmax(9rem,1fr)_minmax(16rem,1.2fr)_10rem_auto] lg:items-start"
    >
      <FormField id={`${id}-q`} label="Search">
        {(field) => (
          <Input
            {...field}
            type="search"
            placeholder="Service id or name"
            value={search.text}
            onChange={(e) => search.setText(e.target.value)}
            onKeyDown={onEnter(search.flush)}
          />
        )}
      </FormField>
      <FormField id={`${id}-status`} label="Status">
        {(field) => (
          <Select
            {...field}
            value={params.status}
            onChange={(e) => update({ status: e.target.value as ServiceStatusFilter })}
          >
            <option value="active">Active</option>
            <option value="departed">Departed</option>
            <option value="all">All</option>
          </Select>
        )}
      </FormField>
      <FormField id={`${id}-feature`} label="Feature value" error={featureError}>
        {(field) => (
          <Input
            {...field}
            placeholder="key=value"
            className="font-mono"
            value={feature.text}
            onChange={(e) => feature.setText(e.target.value)}
            onKeyDown={onEnter(feature.flush)}
          />
        )}
      </FormField>
      <FormField id={`${id}-cw`} label="Compatible with">
        {(field) => (
          <ModelVersionSelect
            {...field}
            placeholder="Any model version"
            value={params.compatibleWith}
            onChange={(e) =>
              update({
                compatibleWith: e.target.value,
                compatible: e.target.value ? params.compatible : "",
              })
            }
          />
        )}
      </FormField>
      <FormField
        id={`${id}-fit`}
        label="Fit"
        hint={!params.compatibleWith ? "Choose a version first" : null}
      >
        {(field) => (
          <Select
            {...field}
            value={params.compatible}
            disabled={!params.compatibleWith}
            onChange={(e) =>
              update({ compatible: e.target.value as ServicesTableParams["compatible"] })
            }
          >
            <option value="">All services</option>
            <option value="true">Compatible</option>
            <option value="false">Not compatible</option>
          </Select>
        )}
      </FormField>
      <div className="flex items-end lg:pt-6">
        <Button
          size="md"
          variant="ghost"
          className="aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
          aria-disabled={!filtered}
          onClick={() =>
            filtered &&
            update({ q: "", status: "active", feature: "", compatibleWith: "", compatible: "" })
          }
        >
          Clear filters
        </Button>
      </div>
    </div>
  );
}
