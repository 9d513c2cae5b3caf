// The assignment keys in use in a domain: its domain defaults and service overrides, per key.
import { z } from "zod";
import { assignmentRow } from "./assignments";
import { list } from "./common";

const assignmentKeySummary = z
  .object({
    assignment_key: z.string(),
    domain_default: assignmentRow
      .nullable()
      .meta({ description: "The key's active domain default; null when only services assign it" }),
    override_count: z
      .number()
      .int()
      .min(0)
      .meta({ description: "How many services have their own active assignment for the key" }),
  })
  .meta({ id: "AssignmentKeySummary" });
export type AssignmentKeySummary = z.infer<typeof assignmentKeySummary>;

export const assignmentKeyList = list(assignmentKeySummary, "AssignmentKeyList");
