"use client";
// Search and filters of the services table. Text fields write to the URL after a pause in typing (or on Enter);
// selects write at once. Every change goes back to the first page.
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, Select } from "@/components/ui/input";
import { ModelVersionSelect } from "./model-version-select";
import type { ServicesTableParams, ServiceStatusFilter } from "./use-services-table-params";

const DEBOUNCE_MS = 300;

/** A text field mirrored to a URL param: local while typing, committed after a pause; follows the URL on Back. */
function useDebouncedParam(value: string, commit: (text: string) => void, accept: (text: string) => boolean = () => true) {
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

export const isFeatureFilter = (text: string) => text === "" || text.indexOf("=") > 0;

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
  const search = useDebouncedParam(params.q, (q) => update({ q: q.trim() === "" ? "" : q }, "replace"));
  const feature = useDebouncedParam(params.feature, (f) => update({ feature: f.trim() }, "replace"), (f) => isFeatureFilter(f.trim()));
  const featureError = !isFeatureFilter(feature.text.trim())
    ? "Use key=value (e.g. route=route-a), or key= for services without the key"
    : !featureFilterValid
      ? "This filter in the address is not key=value: it is ignored"
      : null;
  const hasFilters = !!(params.q || params.feature || params.compatibleWith || params.status !== "active");

  const onEnter = (flush: () => void) => (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      flush();
    }
  };

  return (
    <div role="search" aria-label="Filter services" className="grid gap-3 border-b border-border px-4 py-3 sm:grid-cols-2 lg:grid-cols-[minmax(12rem,1.4fr)_8rem_minmax(10rem,1fr)_minmax(12rem,1fr)_11rem_auto] lg:items-start">
      <div className="space-y-1">
        <Label htmlFor={`${id}-q`}>Search</Label>
        <Input
          id={`${id}-q`}
          type="search"
          placeholder="Service id or name"
          value={search.text}
          onChange={(e) => search.setText(e.target.value)}
          onKeyDown={onEnter(search.flush)}
        />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-status`}>Status</Label>
        <Select id={`${id}-status`} value={params.status} onChange={(e) => update({ status: e.target.value as ServiceStatusFilter })}>
          <option value="active">Active</option>
          <option value="departed">Departed</option>
          <option value="all">All</option>
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-feature`}>Feature value</Label>
        <Input
          id={`${id}-feature`}
          placeholder="key=value"
          className="font-mono"
          value={feature.text}
          onChange={(e) => feature.setText(e.target.value)}
          onKeyDown={onEnter(feature.flush)}
          aria-invalid={featureError ? true : undefined}
          aria-describedby={featureError ? `${id}-feature-error` : undefined}
        />
        <FieldError id={`${id}-feature-error`} message={featureError} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-cw`}>Compatible with</Label>
        <ModelVersionSelect
          id={`${id}-cw`}
          placeholder="Any model version"
          value={params.compatibleWith}
          onChange={(e) => update({ compatibleWith: e.target.value, compatible: e.target.value ? params.compatible : "" })}
        />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-fit`}>Fit</Label>
        <Select
          id={`${id}-fit`}
          value={params.compatible}
          disabled={!params.compatibleWith}
          aria-describedby={!params.compatibleWith ? `${id}-fit-hint` : undefined}
          onChange={(e) => update({ compatible: e.target.value as ServicesTableParams["compatible"] })}
        >
          <option value="">All services</option>
          <option value="true">Compatible</option>
          <option value="false">Not compatible</option>
        </Select>
        {!params.compatibleWith ? (
          <p id={`${id}-fit-hint`} className="text-xs text-fg-muted">
            Choose a version first
          </p>
        ) : null}
      </div>
      <div className="flex items-end lg:pt-6">
        <Button
          size="md"
          variant="ghost"
          className="aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
          aria-disabled={!hasFilters}
          onClick={() => hasFilters && update({ q: "", status: "active", feature: "", compatibleWith: "", compatible: "" })}
        >
          Clear filters
        </Button>
      </div>
    </div>
  );
}
