// The editor's form values: the assignment's fields (assignment-form-schema.ts) plus the key being edited.
import type { UseFormReturn } from "react-hook-form";
import type { AssignmentFormInput, AssignmentFormOutput } from "../assignment-form-schema";

export type EditorValues = AssignmentFormInput & { assignment_key: string };
export type EditorOutput = AssignmentFormOutput & { assignment_key: string };
export type EditorFormApi = UseFormReturn<EditorValues, unknown, EditorOutput>;
