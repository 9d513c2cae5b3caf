import { describe, expect, it } from "vitest";
import type { FeatureDefinition } from "@/lib/features/types";
import {
  checkFixes,
  emptyRepairs,
  recordBlocking,
  serviceUpdatesOf,
  setFixValue,
} from "./service-repairs";
import { routeContract, TARGET as T } from "./test-fixtures";

const contract = routeContract({ key: "stops", type: "integer", required: false, default: 10 });

describe("service repairs", () => {
  const blocked = recordBlocking(emptyRepairs, T, [
    { service_id: "svc-001", missing: ["route"], invalid: [] },
    {
      service_id: "svc-006",
      missing: ["route"],
      invalid: [{ key: "night_service", expected: "boolean", got: '"yes"' }],
    },
  ]);

  it("asks for exactly the missing and invalid features, nothing typed yet", () => {
    const fixes = checkFixes(blocked, T, contract);
    expect(fixes.map((f) => [f.serviceId, f.fields.map((x) => x.key), f.complete])).toEqual([
      ["svc-001", ["route"], false],
      ["svc-006", ["route", "night_service"], false],
    ]);
    expect(serviceUpdatesOf(fixes)).toEqual([]);
  });

  it("sends only touched, valid values, and marks a service complete when all are", () => {
    let state = setFixValue(blocked, "svc-006", "route", " route-x ");
    let fixes = checkFixes(state, T, contract);
    expect(serviceUpdatesOf(fixes)).toEqual([
      { service_id: "svc-006", static_features: { route: "route-x" } },
    ]);
    expect(fixes[1]!.complete).toBe(false);
    state = setFixValue(state, "svc-006", "night_service", true);
    fixes = checkFixes(state, T, contract);
    expect(fixes[1]!.complete).toBe(true);
    expect(fixes[1]!.staticFeatures).toEqual({ route: "route-x", night_service: true });
  });

  it("keeps asked-for inputs when a later preview no longer reports them, and keeps the first problem", () => {
    const later = recordBlocking(blocked, T, [
      {
        service_id: "svc-006",
        missing: [],
        invalid: [{ key: "night_service", expected: "boolean", got: "1" }],
      },
    ]);
    expect(later).toBe(blocked);
    expect(checkFixes(later, T, contract).map((f) => f.serviceId)).toEqual(["svc-001", "svc-006"]);
  });

  it("reports a typed value the contract rejects and leaves it out", () => {
    const contractWithInt: FeatureDefinition[] = [
      { key: "stops", type: "integer", required: true },
    ];
    const state = setFixValue(
      recordBlocking(emptyRepairs, T, [{ service_id: "s", missing: ["stops"], invalid: [] }]),
      "s",
      "stops",
      "1.5",
    );
    const [fix] = checkFixes(state, T, contractWithInt);
    expect(fix!.fields[0]!.error).toMatch(/whole number/);
    expect(serviceUpdatesOf([fix!])).toEqual([]);
  });

  it("never reads an emptied input as a removal: required says so, optional stays asked for", () => {
    let state = setFixValue(blocked, "svc-006", "route", "   ");
    state = setFixValue(state, "svc-006", "night_service", "");
    const [, fix] = checkFixes(state, T, contract);
    expect(fix!.fields.map((f) => [f.key, f.error, f.parsed])).toEqual([
      ["route", "route is required by this version", null],
      ["night_service", null, null],
    ]);
    expect(serviceUpdatesOf([fix!])).toEqual([]);
  });

  it.each(["ten", "5-", "--5", "2.5"])("refuses %j for an integer and sends nothing", (typed) => {
    const state = setFixValue(
      recordBlocking(emptyRepairs, T, [
        {
          service_id: "s",
          missing: [],
          invalid: [{ key: "stops", expected: "integer", got: '"x"' }],
        },
      ]),
      "s",
      "stops",
      typed,
    );
    const [fix] = checkFixes(state, T, contract);
    expect(fix!.fields[0]!.error).toMatch(/^stops must be a whole number/);
    expect(serviceUpdatesOf([fix!])).toEqual([]);
  });

  it("keeps typed values per service across targets", () => {
    const state = setFixValue(blocked, "svc-001", "route", "r1");
    const other = recordBlocking(state, "example-model@3.0.0", [
      { service_id: "svc-001", missing: ["route"], invalid: [] },
    ]);
    expect(serviceUpdatesOf(checkFixes(other, "example-model@3.0.0", contract))).toEqual([
      { service_id: "svc-001", static_features: { route: "r1" } },
    ]);
  });
});
