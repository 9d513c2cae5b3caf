import { describe, expect, it } from "vitest";
import {
  assignmentPostBody,
  assignmentPutBody,
  domainAssignmentPostBody,
  domainAssignmentPutBody,
} from "./assignments";

const body = { model_id: "m", model_version: "1" };
const update = (service_id: string) => ({ service_id, static_features: { route: "r" } });

function issues(schema: { safeParse: typeof assignmentPutBody.safeParse }, value: unknown) {
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

describe.each([
  ["PUT", domainAssignmentPutBody, body],
  ["POST", domainAssignmentPostBody, { ...body, assignment_key: "default" }],
] as const)("the domain default's %s body: pin_services", (_, schema, base) => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `s-${i}`);

  it("takes up to 10,000 pins beside 10,000 service_updates", () => {
    expect(
      issues(schema, {
        ...base,
        service_updates: ids(10_000).map(update),
        pin_services: ids(10_000).map((id) => `p-${id}`),
      }),
    ).toEqual([]);
  });

  it("refuses 10,001 pins, and 10,001 service_updates", () => {
    expect(issues(schema, { ...base, pin_services: ids(10_001) })).toEqual([
      ["pin_services", "Too big: expected array to have <=10000 items"],
    ]);
    expect(issues(schema, { ...base, service_updates: ids(10_001).map(update) })).toEqual([
      ["service_updates", "Too big: expected array to have <=10000 items"],
    ]);
  });

  it("refuses a service pinned twice, naming it at its second entry", () => {
    expect(issues(schema, { ...base, pin_services: ["a", "b", "a"] })).toEqual([
      ["pin_services.2", 'pin_services names service "a" more than once; list it once'],
    ]);
  });

  it("is not taken by a service's own route", () => {
    expect(issues(assignmentPutBody, { ...body, pin_services: ["a"] })).toEqual([
      ["", 'Unrecognized key: "pin_services"'],
    ]);
  });
});
