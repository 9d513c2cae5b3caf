// The editor's form: what a person picks and types, validated with the same rules as the server's upsert body
// (lib/schemas/assignments.ts). Plain functions and a react-hook-form resolver rather than zod: zod's engine
// (~25 kB gzip even through zod/mini) was the largest piece of the editor page's first-load JS.
import type { FieldErrors, Resolver } from "react-hook-form";
import { ID_REGEX, ID_RULE } from "@/lib/schemas/id";
import type { Assignment } from "@/lib/browser/api-client/types";

export type AssignmentFormInput = {
  model_id: string;
  model_version: string;
  role: string;
  /** A textarea holding a JSON object; empty means {}. */
  settings: string;
  metadata: string;
};

export type AssignmentFormOutput = {
  model_id: string;
  model_version: string;
  role: string | null;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

type FormErrors = Partial<Record<keyof AssignmentFormInput | "assignment_key", string>>;

function jsonObjectText(
  field: string,
  text: string,
): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === "") return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `${field} is not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { error: `${field} must be a JSON object, like {"threshold": 0.5}` };
  return { value: value as Record<string, unknown> };
}

/** The message for a key the server would refuse; null when it is a valid key. */
export function assignmentKeyError(text: string): string | null {
  const key = text.trim();
  if (key === "") return "Enter a key, like default or eta";
  if (!ID_REGEX.test(key)) return `Use ${ID_RULE}`;
  return null;
}

/** Turns the form's text into the upsert body's values, or says what to fix per field. */
export function parseAssignmentForm(
  input: AssignmentFormInput,
): { success: true; data: AssignmentFormOutput } | { success: false; errors: FormErrors } {
  const errors: FormErrors = {};
  if (input.model_id === "") errors.model_id = "Pick a model";
  if (input.model_version === "") errors.model_version = "Pick a version";
  if (input.role.length > 200) errors.role = "Keep the role under 200 characters";
  const settings = jsonObjectText("Settings", input.settings);
  if ("error" in settings) errors.settings = settings.error;
  const metadata = jsonObjectText("Metadata", input.metadata);
  if ("error" in metadata) errors.metadata = metadata.error;
  if (Object.keys(errors).length > 0 || "error" in settings || "error" in metadata)
    return { success: false, errors };
  return {
    success: true,
    data: {
      model_id: input.model_id,
      model_version: input.model_version,
      role: input.role.trim() === "" ? null : input.role.trim(),
      settings: settings.value,
      metadata: metadata.value,
    },
  };
}

type KeyedInput = AssignmentFormInput & { assignment_key: string };
type KeyedOutput = AssignmentFormOutput & { assignment_key: string };

/** react-hook-form's resolver for the editor: the form's fields plus the assignment key. */
export const assignmentFormResolver: Resolver<KeyedInput, unknown, KeyedOutput> = (values) => {
  const parsed = parseAssignmentForm(values);
  const keyError = assignmentKeyError(values.assignment_key);
  const errors: FormErrors = parsed.success ? {} : { ...parsed.errors };
  if (keyError) errors.assignment_key = keyError;
  if (parsed.success && !keyError)
    return {
      values: { ...parsed.data, assignment_key: values.assignment_key.trim() },
      errors: {},
    };
  const fieldErrors: FieldErrors<KeyedInput> = {};
  for (const [name, message] of Object.entries(errors) as [keyof KeyedInput, string][])
    fieldErrors[name] = { type: "validate", message };
  return { values: {}, errors: fieldErrors };
};

const pretty = (value: Record<string, unknown> | null | undefined) =>
  value && Object.keys(value).length > 0 ? JSON.stringify(value, null, 2) : "";

/** The form's starting values: the revision the person starts from, or an empty form. */
export function formValuesFrom(
  revision: Pick<
    Assignment,
    "model_id" | "model_version" | "role" | "settings" | "metadata"
  > | null,
): AssignmentFormInput {
  return {
    model_id: revision?.model_id ?? "",
    model_version: revision?.model_version ?? "",
    role: revision?.role ?? "",
    settings: pretty(revision?.settings),
    metadata: pretty(revision?.metadata),
  };
}

export type FormGroup = "model" | "role" | "settings" | "metadata";
const GROUP_FIELDS: Record<FormGroup, (keyof AssignmentFormInput)[]> = {
  model: ["model_id", "model_version"],
  role: ["role"],
  settings: ["settings"],
  metadata: ["metadata"],
};

function sameText(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return true;
  try {
    return (
      JSON.stringify(sortKeys(JSON.parse(a || "{}"))) ===
      JSON.stringify(sortKeys(JSON.parse(b || "{}")))
    );
  } catch {
    return false;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const sameGroup = (group: FormGroup, a: AssignmentFormInput, b: AssignmentFormInput) =>
  GROUP_FIELDS[group].every((f) =>
    f === "settings" || f === "metadata" ? sameText(a[f], b[f]) : a[f].trim() === b[f].trim(),
  );

export type Reapplied = {
  values: AssignmentFormInput;
  /** Only the person changed it: their value stays. */
  kept: FormGroup[];
  /** Only the other change touched it: the form now shows theirs. */
  taken: FormGroup[];
  /** Both changed it differently: the person's value stays, and they are told. */
  clashes: FormGroup[];
};

/**
 * "Reload and reapply": the person's edits (what differs from the revision they started from) replayed onto
 * the revision that is active now, so someone else's change to a field the person never touched is kept,
 * not silently reverted by the next save.
 */
export function reapplyOnto(
  start: AssignmentFormInput,
  mine: AssignmentFormInput,
  theirs: AssignmentFormInput,
): Reapplied {
  const values = { ...theirs };
  const kept: FormGroup[] = [];
  const taken: FormGroup[] = [];
  const clashes: FormGroup[] = [];
  for (const group of Object.keys(GROUP_FIELDS) as FormGroup[]) {
    const mineChanged = !sameGroup(group, start, mine);
    const theirsChanged = !sameGroup(group, start, theirs);
    if (!mineChanged) {
      if (theirsChanged) taken.push(group);
      continue;
    }
    for (const f of GROUP_FIELDS[group]) values[f] = mine[f];
    if (theirsChanged && !sameGroup(group, mine, theirs)) clashes.push(group);
    else kept.push(group);
  }
  return { values, kept, taken, clashes };
}
