import { describe, expect, it } from "vitest";
import { assignmentPostBody, assignmentPutBody } from "./assignments";

const body = { model_id: "m", model_version: "1" };
const update = (service_id: string) => ({ service_id, static_features: { route: "r" } });

function issues(schema: typeof assignmentPutBody | typeof assignmentPostBody, value: unknown) {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join("."), i.message]);
}

describe.each([
  ["PUT", assignmentPutBody, body],
  ["POST", assignmentPostBody, { ...body, assignment_key: "default" }],
] as const)("the %s body's own rules", (_, schema, base) => {
  it("accepts each service once", () => {
    expect(issues(schema, { ...base, service_updates: [update("a"), update("b")] })).toEqual([]);
  });

  it("refuses a service patched twice, naming it at its second entry", () => {
    expect(
      issues(schema, { ...base, service_updates: [update("a"), update("b"), update("a")] }),
    ).toEqual([
      [
        "service_updates.2.service_id",
        'service_updates names service "a" more than once; merge its static_features into one entry',
      ],
    ]);
  });

  it("refuses a restore that retires the key, and accepts one that activates it", () => {
    expect(issues(schema, { ...base, status: "archived", restored_from_revision: 1 })).toEqual([
      [
        "restored_from_revision",
        'marks a restore, which makes an active revision: only with status "active"; drop it when retiring the key (status "archived")',
      ],
    ]);
    expect(issues(schema, { ...base, restored_from_revision: 1 })).toEqual([]);
    expect(issues(schema, { ...base, status: "archived" })).toEqual([]);
  });
});
