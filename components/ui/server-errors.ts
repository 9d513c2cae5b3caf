// Puts a failed write's server message next to the field it is about: each issues[].path that names a form
// field becomes that field's error; a 409 goes to the field that clashed. What names no field is returned, for
// the form to show above its buttons.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiClientError } from "@/lib/api-client/api-fetch";

export function applyServerError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  options: {
    fields: readonly string[];
    conflictField?: Path<T>;
    rename?: (path: string) => string;
  },
): string | null {
  if (!(error instanceof ApiClientError))
    return error instanceof Error ? error.message : String(error);
  let unmatched = error.issues.length === 0;
  for (const issue of error.issues) {
    const path = options.rename ? options.rename(issue.path) : issue.path;
    if (options.fields.some((f) => path === f || path.startsWith(`${f}.`))) {
      setError(path as Path<T>, { type: "server", message: issue.message }, { shouldFocus: true });
    } else {
      unmatched = true;
    }
  }
  if (error.status === 409 && options.conflictField) {
    setError(
      options.conflictField,
      { type: "server", message: error.message },
      { shouldFocus: true },
    );
    return null;
  }
  return unmatched ? error.message : null;
}
