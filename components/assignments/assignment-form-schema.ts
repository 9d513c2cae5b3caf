// The editor's form: what a person picks and types, validated with the same rules as the server's upsert body.
// zod/mini (same engine, tree-shakable API) keeps the editor page's first-load JS small.
import { z } from "zod/mini";
import { ID_REGEX } from "@/lib/schemas/id";
import type { Assignment } from "@/lib/api-client/types";

/** A textarea holding a JSON object; empty means {}. */
const jsonObjectText = (field: string) =>
  z.pipe(
    z.string(),
    z.transform((text: string, ctx): Record<string, unknown> => {
      if (text.trim() === "") return {};
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        ctx.issues.push({
          code: "custom",
          message: `${field} is not valid JSON: ${(error as Error).message}`,
          input: text,
        });
        return z.NEVER;
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        ctx.issues.push({
          code: "custom",
          message: `${field} must be a JSON object, like {"threshold": 0.5}`,
          input: text,
        });
        return z.NEVER;
      }
      return value as Record<string, unknown>;
    }),
  );

export const assignmentKeyField = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "Enter a key, like default or eta"),
    z.regex(
      ID_REGEX,
      "Use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit",
    ),
  );

export const assignmentFormSchema = z.object({
  model_id: z.string().check(z.minLength(1, "Pick a model")),
  model_version: z.string().check(z.minLength(1, "Pick a version")),
  role: z.pipe(
    z.string().check(z.maxLength(200, "Keep the role under 200 characters")),
    z.transform((r: string) => (r.trim() === "" ? null : r.trim())),
  ),
  settings: jsonObjectText("Settings"),
  metadata: jsonObjectText("Metadata"),
});

export type AssignmentFormInput = z.input<typeof assignmentFormSchema>;
export type AssignmentFormOutput = z.output<typeof assignmentFormSchema>;

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
