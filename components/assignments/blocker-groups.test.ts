import { describe, expect, it } from "vitest";
import { groupBlockers, searchGroup, type BlockerGroup } from "./blocker-groups";
import {
  checkFixes,
  clearFixValue,
  emptyRepairs,
  recordBlocking,
  serviceUpdatesOf,
  setFixValues,
  setManyFixValues,
  type RepairState,
} from "./service-repairs";
import { routeContract, TARGET as T } from "./test-fixtures";

const contract = routeContract({
  key: "mode",
  type: "enum",
  required: false,
  allowed_values: ["bus", "tram"],
});
const id = (i: number) => `svc-${String(i).padStart(4, "0")}`;

// 1,429 services lack route; 12 say night_service "yes"; 2 have mode "ship"; svc-0000 has two problems.
const blocking = [
  ...Array.from({ length: 1_429 }, (_, i) => ({
    service_id: id(i),
    missing: ["route"],
    invalid: [] as { key: string; expected: string; got: string }[],
  })),
  ...Array.from({ length: 12 }, (_, i) => ({
    service_id: id(5_000 + i),
    missing: [],
    invalid: [{ key: "night_service", expected: "boolean", got: '"yes"' }],
  })),
  ...Array.from({ length: 2 }, (_, i) => ({
    service_id: id(6_000 + i),
    missing: [],
    invalid: [{ key: "mode", expected: "one of bus, tram", got: '"ship"' }],
  })),
];
blocking[0]!.invalid = [{ key: "night_service", expected: "boolean", got: "1" }];
const state = recordBlocking(emptyRepairs, T, blocking);

/** "One value for a group": the same value typed for every service of the group. */
const fillGroup = (from: RepairState, group: BlockerGroup, value: string) =>
  setFixValues(
    from,
    group.rows.map((r) => r.serviceId),
    group.key,
    value,
  );

describe("blocking services grouped by what they lack or have wrong", () => {
  it("counts each group, largest first, in words a person reads", () => {
    const groups = groupBlockers(checkFixes(state, T, contract));
    expect(groups.map((g) => [g.label, g.rows.length, g.filled])).toEqual([
      ["1,429 miss `route`", 1_429, 0],
      ["13 have a non-boolean `night_service`", 13, 0],
      ["2 have an invalid `mode`", 2, 0],
    ]);
  });

  it("fills one value for a whole group, sends it for every service, and undoes it per service", () => {
    const group = groupBlockers(checkFixes(state, T, contract))[0]!;
    let filled = fillGroup(state, group, "route-main");
    let groups = groupBlockers(checkFixes(filled, T, contract));
    expect(groups[0]!.filled).toBe(1_429);
    const updates = serviceUpdatesOf(checkFixes(filled, T, contract));
    expect(updates).toHaveLength(1_429);
    expect(updates[1]).toEqual({ service_id: id(1), static_features: { route: "route-main" } });

    filled = clearFixValue(filled, id(1), "route");
    groups = groupBlockers(checkFixes(filled, T, contract));
    expect(groups[0]!.filled).toBe(1_428);
    expect(
      serviceUpdatesOf(checkFixes(filled, T, contract)).map((u) => u.service_id),
    ).not.toContain(id(1));
    // Undo of something never typed changes nothing.
    expect(clearFixValue(filled, id(1), "route")).toBe(filled);
  });

  it("a value that doesn't fit the contract fills nothing", () => {
    const night = groupBlockers(checkFixes(state, T, contract))[1]!;
    const typed = fillGroup(state, night, "perhaps");
    expect(groupBlockers(checkFixes(typed, T, contract))[1]!.filled).toBe(0);
  });

  it("leaves pinned services out of service_updates", () => {
    const filled = setFixValues(state, [id(0), id(1)], "route", "r");
    expect(
      serviceUpdatesOf(checkFixes(filled, T, contract), new Set([id(0)])).map((u) => u.service_id),
    ).toEqual([id(1)]);
  });

  it("searches inside a group by service id", () => {
    const group = groupBlockers(checkFixes(state, T, contract))[0]!;
    // svc-0142 does not contain "svc-142": a substring of the id, not of the number.
    expect(searchGroup(group, "SVC-142").map((r) => r.serviceId)).toEqual([
      id(1420),
      id(1421),
      id(1422),
      id(1423),
      id(1424),
      id(1425),
      id(1426),
      id(1427),
      id(1428),
    ]);
    expect(searchGroup(group, "  ")).toHaveLength(1_429);
  });
});

describe("a CSV import's values", () => {
  it("join the repairs in one step, and are checked like typed ones", () => {
    const entries = Array.from({ length: 1_429 }, (_, i) => ({
      serviceId: id(i),
      key: "route",
      value: `r-${i}`,
    }));
    entries.push({ serviceId: id(5_000), key: "night_service", value: "false" });
    const imported = setManyFixValues(state, entries);
    const groups = groupBlockers(checkFixes(imported, T, contract));
    expect(groups.map((g) => g.filled)).toEqual([1_429, 1, 0]);
    expect(serviceUpdatesOf(checkFixes(imported, T, contract))).toHaveLength(1_430);
  });
});
