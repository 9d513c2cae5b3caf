import { describe, expect, it } from "vitest";
import {
  assignmentFormResolver,
  assignmentKeyError,
  formValuesFrom,
  parseAssignmentForm,
  reapplyOnto,
} from "./assignment-form-schema";
import { seededRevision as rev } from "./test-fixtures";

describe("parseAssignmentForm", () => {
  it("turns the form's text into the upsert body's values", () => {
    const parsed = parseAssignmentForm({
      ...formValuesFrom(rev),
      role: "  ",
      settings: '{"a": 1}',
    });
    expect(parsed.success && parsed.data).toEqual({
      model_id: "example-model",
      model_version: "1.0.0",
      role: null,
      settings: { a: 1 },
      metadata: { seeded: true },
    });
  });

  it("explains settings that are not a JSON object", () => {
    const result = parseAssignmentForm({ ...formValuesFrom(rev), settings: "[1]" });
    expect(!result.success && result.errors.settings).toMatch(/must be a JSON object/);
    for (const text of ["null", '"text"', "42"])
      expect(parseAssignmentForm({ ...formValuesFrom(rev), settings: text }).success).toBe(false);
    const broken = parseAssignmentForm({ ...formValuesFrom(rev), metadata: "{oops" });
    expect(!broken.success && broken.errors.metadata).toMatch(/Metadata is not valid JSON/);
  });

  it("asks for a model, a version and a role under 200 characters", () => {
    const result = parseAssignmentForm({
      ...formValuesFrom(null),
      role: "r".repeat(201),
    });
    expect(!result.success && result.errors).toEqual({
      model_id: "Pick a model",
      model_version: "Pick a version",
      role: "Keep the role under 200 characters",
    });
  });
});

describe("assignmentKeyError", () => {
  it("accepts the server's identifiers only", () => {
    expect(assignmentKeyError(" eta ")).toBeNull();
    expect(assignmentKeyError("")).toMatch(/Enter a key/);
    expect(assignmentKeyError("-x")).toMatch(/starting with a letter or digit/);
    expect(assignmentKeyError("a b")).toMatch(/letters, digits/);
    expect(assignmentKeyError("k".repeat(129))).toMatch(/1-128/);
  });
});

describe("assignmentFormResolver", () => {
  const resolve = (values: Parameters<typeof assignmentFormResolver>[0]) =>
    assignmentFormResolver(values, undefined, { fields: {}, shouldUseNativeValidation: false });

  it("gives react-hook-form the parsed values, or an error per field", async () => {
    expect(await resolve({ ...formValuesFrom(rev), assignment_key: " eta " })).toEqual({
      values: { ...rev, assignment_key: "eta" },
      errors: {},
    });
    const bad = await resolve({ ...formValuesFrom(rev), settings: "[", assignment_key: "" });
    expect(bad.values).toEqual({});
    expect(Object.keys(bad.errors).sort()).toEqual(["assignment_key", "settings"]);
    expect(bad.errors.assignment_key).toMatchObject({ type: "validate", message: /Enter a key/ });
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
