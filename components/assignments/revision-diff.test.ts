import { describe, expect, it } from "vitest";
import { diffRevisions, diffServiceChanges, isRetireRevision } from "./revision-diff";
import { seededRevision as base } from "./test-fixtures";

describe("diffRevisions", () => {
  it("names a version change with both versions", () => {
    expect(diffRevisions(base, { ...base, model_version: "2.0.0" })).toEqual([
      { field: "model_version", kind: "changed", from: "1.0.0", to: "2.0.0" },
    ]);
  });

  it("shows a model change as model@version on both sides", () => {
    expect(diffRevisions(base, { ...base, model_id: "eta-model" })[0]).toEqual({
      field: "model",
      kind: "changed",
      from: "example-model@1.0.0",
      to: "eta-model@1.0.0",
    });
  });

  it("reports role and key-level settings and metadata changes", () => {
    const next = { ...base, role: "ranker", settings: { threshold: 0.7 }, metadata: {} };
    expect(diffRevisions({ ...base, settings: { threshold: 0.5 } }, next)).toEqual([
      { field: "role", kind: "added", from: null, to: "ranker" },
      { field: "settings.threshold", kind: "changed", from: "0.5", to: "0.7" },
      { field: "metadata.seeded", kind: "removed", from: "true", to: null },
    ]);
  });

  it("ignores key order in objects", () => {
    expect(
      diffRevisions(
        { ...base, settings: { a: { x: 1, y: 2 } } },
        { ...base, settings: { a: { y: 2, x: 1 } } },
      ),
    ).toEqual([]);
  });
});

describe("isRetireRevision", () => {
  it("is a revision stored archived in the transaction that made it", () => {
    const t = "2026-01-01T00:00:00.000Z";
    expect(isRetireRevision({ status: "archived", created_at: t, updated_at: t })).toBe(true);
    expect(
      isRetireRevision({
        status: "archived",
        created_at: t,
        updated_at: "2026-01-02T00:00:00.000Z",
      }),
    ).toBe(false);
    expect(isRetireRevision({ status: "active", created_at: t, updated_at: t })).toBe(false);
  });
});

describe("diffServiceChanges", () => {
  it("lists each patched service's features that changed, added or were removed", () => {
    expect(
      diffServiceChanges([
        {
          service_id: "svc-001",
          before: { mode: "tram" },
          after: { mode: "tram", route: "route-a" },
        },
        {
          service_id: "svc-006",
          before: { night_service: "yes", stops: 14, legacy: 1 },
          after: { night_service: true, stops: 14 },
        },
      ]),
    ).toEqual([
      { service_id: "svc-001", field: "route", kind: "added", from: null, to: '"route-a"' },
      { service_id: "svc-006", field: "legacy", kind: "removed", from: "1", to: null },
      {
        service_id: "svc-006",
        field: "night_service",
        kind: "changed",
        from: '"yes"',
        to: "true",
      },
    ]);
  });

  it("is empty for a revision written without service patches", () => {
    expect(diffServiceChanges([])).toEqual([]);
  });
});
