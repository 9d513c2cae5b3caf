"use client";
// One blocking service: what it lacks for the target version, and a typed input for exactly those features.
import Link from "next/link";
import { FeatureInput } from "@/components/features/feature-input";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { fixInputId, type FieldCheck, type FixValue, type ServiceFix } from "./service-repairs";

function problemText(field: FieldCheck): string {
  const fixed = field.parsed !== null;
  if (field.problem.kind === "missing") return fixed ? "was missing" : "missing";
  return `${fixed ? "had" : "has"} ${field.problem.got}, expected ${field.problem.expected}`;
}

function fieldState(
  field: FieldCheck,
  showErrors: boolean,
): { message: string | null; tone: "error" | "ok" | "hint" } {
  if (field.error) return { message: field.error, tone: "error" };
  if (field.parsed) return { message: null, tone: "ok" };
  if (showErrors && field.definition)
    return { message: `Enter ${field.key} for this service`, tone: "error" };
  return { message: null, tone: "hint" };
}

export function ServiceFixer({
  fix,
  state,
  showErrors,
  serviceHref,
  onChange,
}: {
  fix: ServiceFix;
  state: "blocking" | "fixed";
  showErrors: boolean;
  serviceHref: string;
  onChange: (serviceId: string, key: string, value: FixValue) => void;
}) {
  return (
    <fieldset
      className={cn(
        "min-w-0 rounded-md border px-3 pt-1 pb-3",
        state === "blocking" ? "border-danger/40 bg-surface" : "border-ok/40 bg-ok-bg/40",
      )}
    >
      <legend className="px-1 text-sm font-semibold">
        <span className="font-mono">{fix.serviceId}</span>
      </legend>
      <div className="space-y-3">
        {fix.fields.map((field) => {
          const id = fixInputId(fix.serviceId, field.key);
          const problemId = `${id}-problem`;
          const errorId = `${id}-error`;
          const { message, tone } = fieldState(field, showErrors);
          return (
            <div
              key={field.key}
              className="grid gap-x-3 gap-y-1 sm:grid-cols-[10rem_minmax(0,1fr)] sm:items-start"
            >
              <div className="pt-1.5">
                <label htmlFor={id} className="font-mono text-sm font-medium">
                  {field.key}
                </label>
                <p
                  id={problemId}
                  className={cn(
                    "text-xs",
                    field.parsed
                      ? "text-fg-muted"
                      : field.problem.kind === "missing"
                        ? "text-danger"
                        : "text-warn",
                  )}
                >
                  {problemText(field)}
                </p>
              </div>
              {field.definition ? (
                <div className="space-y-1">
                  <div className="flex items-center gap-2">
                    <div
                      className={field.definition.type === "boolean" ? "pt-1.5" : "w-full max-w-sm"}
                    >
                      <FeatureInput
                        id={id}
                        definition={field.definition}
                        value={field.value ?? ""}
                        onChange={(value) => onChange(fix.serviceId, field.key, value)}
                        invalid={tone === "error"}
                        describedBy={message ? `${problemId} ${errorId}` : problemId}
                      />
                    </div>
                    {field.definition.type === "boolean" && field.value === undefined ? (
                      <Button size="sm" onClick={() => onChange(fix.serviceId, field.key, false)}>
                        Set {field.key} to false
                      </Button>
                    ) : null}
                    {field.parsed ? (
                      <span className="text-xs text-ok" aria-hidden>
                        ✓
                      </span>
                    ) : null}
                  </div>
                  {message ? (
                    <p id={errorId} className="text-xs text-danger">
                      {message}
                    </p>
                  ) : null}
                </div>
              ) : (
                <p className="pt-1.5 text-sm text-fg-muted">
                  Needed by another key this service runs, not by this version.{" "}
                  <Link className="text-accent underline" href={serviceHref}>
                    Fix it on the service
                  </Link>
                  .
                </p>
              )}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
