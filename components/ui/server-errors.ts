// Puts a failed write's server message next to the field it is about: each issues[].path that names a form
// field becomes that field's error; a 409 goes to the field that clashed. What names no field is returned, for
// the form to show above its buttons.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";

/** An error's message, for people; a thrown non-Error as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type ServerErrorOptions<T extends FieldValues> = {
  /** The form's fields: an issue whose path is one of them (or inside one) goes to that field. */
  fields: readonly string[];
  /** Where a 409's message goes. */
  conflictField?: Path<T>;
  /** From the request's field names to the form's. */
  rename?: (path: string) => string;
};

export function applyServerError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  options: ServerErrorOptions<T>,
): string | null {
  if (!(error instanceof ApiClientError)) return messageOf(error);
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
