import { describe, expect, it } from "vitest";
import { assignmentFormSchema, formValuesFrom, reapplyOnto } from "./assignment-form-schema";

const rev = {
  model_id: "example-model",
  model_version: "1.0.0",
  role: null,
  settings: {},
  metadata: { seeded: true },
};

describe("assignmentFormSchema", () => {
  it("turns the form's text into the upsert body's values", () => {
    const parsed = assignmentFormSchema.parse({
      ...formValuesFrom(rev),
      role: "  ",
      settings: '{"a": 1}',
    });
    expect(parsed).toEqual({
      model_id: "example-model",
      model_version: "1.0.0",
      role: null,
      settings: { a: 1 },
      metadata: { seeded: true },
    });
  });

  it("explains settings that are not a JSON object", () => {
    const result = assignmentFormSchema.safeParse({ ...formValuesFrom(rev), settings: "[1]" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/must be a JSON object/);
    const broken = assignmentFormSchema.safeParse({ ...formValuesFrom(rev), metadata: "{oops" });
    expect(broken.error?.issues[0]?.message).toMatch(/Metadata is not valid JSON/);
  });
});

describe("reapplyOnto", () => {
  const start = formValuesFrom(rev);

  it("keeps the person's edits and takes the other change where the person did not edit", () => {
    const mine = { ...start, role: "ui-role" };
    const theirs = formValuesFrom({ ...rev, model_version: "2.0.0", metadata: { from: "api" } });
    const result = reapplyOnto(start, mine, theirs);
    expect(result.values).toMatchObject({ model_version: "2.0.0", role: "ui-role" });
    expect(JSON.parse(result.values.metadata)).toEqual({ from: "api" });
    expect(result).toMatchObject({ kept: ["role"], taken: ["model", "metadata"], clashes: [] });
  });

  it("keeps the person's value and reports a clash when both changed the same thing differently", () => {
    const result = reapplyOnto(
      start,
      { ...start, model_version: "2.0.0" },
      formValuesFrom({ ...rev, model_version: "3.0.0" }),
    );
    expect(result.values.model_version).toBe("2.0.0");
    expect(result.clashes).toEqual(["model"]);
  });

  it("treats reformatted JSON as unchanged", () => {
    const result = reapplyOnto(
      start,
      { ...start, metadata: '{ "seeded":true }' },
      formValuesFrom({ ...rev, metadata: { x: 1 } }),
    );
    expect(JSON.parse(result.values.metadata)).toEqual({ x: 1 });
  });
});
