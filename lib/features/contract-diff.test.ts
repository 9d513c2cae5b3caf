import { describe, expect, it } from "vitest";
import { diffContracts } from "./contract-diff";
import type { FeatureDefinition } from "./types";

describe("diffContracts", () => {
  it("reports nothing for two empty contracts", () => {
    expect(diffContracts([], [])).toEqual({ changes: [], breaking: false });
  });

  it("reports nothing for identical contracts, in any order, ignoring descriptions and enum value order", () => {
    const from: FeatureDefinition[] = [
      { key: "route", type: "string", required: true, description: "old text" },
      { key: "mode", type: "enum", required: false, allowed_values: ["a", "b"], default: "a" },
    ];
    const to: FeatureDefinition[] = [
      { key: "mode", type: "enum", required: false, allowed_values: ["b", "a"], default: "a" },
      { key: "route", type: "string", required: true, description: "new text" },
    ];
    expect(diffContracts(from, to)).toEqual({ changes: [], breaking: false });
  });

  it("treats a null default and an absent default as the same", () => {
    expect(
      diffContracts(
        [{ key: "x", type: "string", required: true, default: null }],
        [{ key: "x", type: "string", required: true }],
      ),
    ).toEqual({ changes: [], breaking: false });
  });

  describe("added", () => {
    it("is breaking when required with no default", () => {
      const route: FeatureDefinition = { key: "route", type: "string", required: true };
      expect(diffContracts([], [route])).toEqual({
        changes: [
          {
            key: "route",
            change: "added",
            from: null,
            to: route,
            impact: "breaking",
            reason:
              'feature "route" was added as required with no default; services that do not provide it become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("is breaking when required with a null default", () => {
      const route: FeatureDefinition = {
        key: "route",
        type: "string",
        required: true,
        default: null,
      };
      expect(diffContracts([], [route])).toEqual({
        changes: [
          {
            key: "route",
            change: "added",
            from: null,
            to: route,
            impact: "breaking",
            reason:
              'feature "route" was added as required with no default; services that do not provide it become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("is compatible when required with a default (even a falsy one)", () => {
      const stops: FeatureDefinition = {
        key: "stops",
        type: "integer",
        required: true,
        default: 0,
      };
      expect(diffContracts([], [stops])).toEqual({
        changes: [
          {
            key: "stops",
            change: "added",
            from: null,
            to: stops,
            impact: "compatible",
            reason:
              'feature "stops" was added as required with default 0; services without it use the default',
          },
        ],
        breaking: false,
      });
    });

    it("is compatible when optional", () => {
      const note: FeatureDefinition = { key: "note", type: "string", required: false };
      expect(diffContracts([], [note])).toEqual({
        changes: [
          {
            key: "note",
            change: "added",
            from: null,
            to: note,
            impact: "compatible",
            reason: 'feature "note" was added as optional; services without it stay compatible',
          },
        ],
        breaking: false,
      });
    });
  });

  describe("removed", () => {
    it("is compatible, even for a required feature", () => {
      const route: FeatureDefinition = { key: "route", type: "string", required: true };
      expect(diffContracts([route], [])).toEqual({
        changes: [
          {
            key: "route",
            change: "removed",
            from: route,
            to: null,
            impact: "compatible",
            reason:
              'feature "route" was removed; services that provide it keep it as an unused feature',
          },
        ],
        breaking: false,
      });
    });
  });

  describe("retyped", () => {
    const retype = (fromType: FeatureDefinition["type"], toType: FeatureDefinition["type"]) => {
      const from: FeatureDefinition = {
        key: "f",
        type: fromType,
        required: false,
        ...(fromType === "enum" ? { allowed_values: ["1"] } : {}),
      };
      const to: FeatureDefinition = {
        key: "f",
        type: toType,
        required: false,
        ...(toType === "enum" ? { allowed_values: ["1"] } : {}),
      };
      return { from, to, diff: diffContracts([from], [to]) };
    };

    it("integer → number is compatible", () => {
      const { from, to, diff } = retype("integer", "number");
      expect(diff).toEqual({
        changes: [
          {
            key: "f",
            change: "retyped",
            from,
            to,
            impact: "compatible",
            reason:
              'feature "f" changed type from integer to number; every integer value is a valid number, so provided values stay valid',
          },
        ],
        breaking: false,
      });
    });

    it("enum → string is compatible (and reports no allowed_values change)", () => {
      const { from, to, diff } = retype("enum", "string");
      expect(diff).toEqual({
        changes: [
          {
            key: "f",
            change: "retyped",
            from,
            to,
            impact: "compatible",
            reason:
              'feature "f" changed type from enum to string; every enum value is a valid string, so provided values stay valid',
          },
        ],
        breaking: false,
      });
    });

    const breakingPairs: [FeatureDefinition["type"], FeatureDefinition["type"]][] = [
      ["number", "integer"],
      ["string", "enum"],
      ["string", "number"],
      ["string", "integer"],
      ["string", "boolean"],
      ["number", "string"],
      ["integer", "string"],
      ["boolean", "string"],
      ["boolean", "integer"],
      ["enum", "integer"],
      ["integer", "enum"],
    ];
    for (const [fromType, toType] of breakingPairs) {
      it(`${fromType} → ${toType} is breaking`, () => {
        const { from, to, diff } = retype(fromType, toType);
        expect(diff).toEqual({
          changes: [
            {
              key: "f",
              change: "retyped",
              from,
              to,
              impact: "breaking",
              reason: `feature "f" changed type from ${fromType} to ${toType}; values valid as ${fromType} may be rejected as ${toType}`,
            },
          ],
          breaking: true,
        });
      });
    }
  });

  describe("required_changed", () => {
    it("optional → required without a default is breaking", () => {
      const from: FeatureDefinition = { key: "route", type: "string", required: false };
      const to: FeatureDefinition = { key: "route", type: "string", required: true };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "route",
            change: "required_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "route" became required with no default; services that do not provide it become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("optional → required with a default (kept from before) is compatible", () => {
      const from: FeatureDefinition = {
        key: "route",
        type: "string",
        required: false,
        default: "r",
      };
      const to: FeatureDefinition = { key: "route", type: "string", required: true, default: "r" };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "route",
            change: "required_changed",
            from,
            to,
            impact: "compatible",
            reason:
              'feature "route" became required with default "r"; services without it use the default',
          },
        ],
        breaking: false,
      });
    });

    it("optional → required while adding a default reports both, both compatible", () => {
      const from: FeatureDefinition = { key: "live", type: "boolean", required: false };
      const to: FeatureDefinition = {
        key: "live",
        type: "boolean",
        required: true,
        default: false,
      };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "live",
            change: "default_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "live" gained the default false; services stay compatible',
          },
          {
            key: "live",
            change: "required_changed",
            from,
            to,
            impact: "compatible",
            reason:
              'feature "live" became required with default false; services without it use the default',
          },
        ],
        breaking: false,
      });
    });

    it("required → optional is compatible", () => {
      const from: FeatureDefinition = { key: "route", type: "string", required: true };
      const to: FeatureDefinition = { key: "route", type: "string", required: false };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "route",
            change: "required_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "route" became optional; services stay compatible',
          },
        ],
        breaking: false,
      });
    });
  });

  describe("default_changed", () => {
    it("removing the default of a required feature is breaking", () => {
      const from: FeatureDefinition = { key: "stops", type: "integer", required: true, default: 3 };
      const to: FeatureDefinition = { key: "stops", type: "integer", required: true };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "stops",
            change: "default_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "stops" lost its default 3 and is required; services that relied on the default become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("setting the default of a required feature to null is breaking", () => {
      const from: FeatureDefinition = { key: "stops", type: "integer", required: true, default: 3 };
      const to: FeatureDefinition = {
        key: "stops",
        type: "integer",
        required: true,
        default: null,
      };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "stops",
            change: "default_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "stops" lost its default 3 and is required; services that relied on the default become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("removing the default of an optional feature is compatible", () => {
      const from: FeatureDefinition = {
        key: "note",
        type: "string",
        required: false,
        default: "n",
      };
      const to: FeatureDefinition = { key: "note", type: "string", required: false };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "note",
            change: "default_changed",
            from,
            to,
            impact: "compatible",
            reason:
              'feature "note" lost its default "n"; it is optional, so services stay compatible',
          },
        ],
        breaking: false,
      });
    });

    it("changing a default's value is compatible", () => {
      const from: FeatureDefinition = { key: "stops", type: "integer", required: true, default: 3 };
      const to: FeatureDefinition = { key: "stops", type: "integer", required: true, default: 4 };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "stops",
            change: "default_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "stops" changed its default from 3 to 4; services stay compatible',
          },
        ],
        breaking: false,
      });
    });

    it("adding a default is compatible", () => {
      const from: FeatureDefinition = { key: "stops", type: "integer", required: true };
      const to: FeatureDefinition = { key: "stops", type: "integer", required: true, default: 4 };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "stops",
            change: "default_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "stops" gained the default 4; services stay compatible',
          },
        ],
        breaking: false,
      });
    });

    it("required → optional while dropping the default is compatible on both counts", () => {
      const from: FeatureDefinition = { key: "stops", type: "integer", required: true, default: 3 };
      const to: FeatureDefinition = { key: "stops", type: "integer", required: false };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "stops",
            change: "default_changed",
            from,
            to,
            impact: "compatible",
            reason:
              'feature "stops" lost its default 3; it is optional, so services stay compatible',
          },
          {
            key: "stops",
            change: "required_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "stops" became optional; services stay compatible',
          },
        ],
        breaking: false,
      });
    });

    it("optional with a default → required without one is breaking on both counts", () => {
      const from: FeatureDefinition = {
        key: "stops",
        type: "integer",
        required: false,
        default: 3,
      };
      const to: FeatureDefinition = { key: "stops", type: "integer", required: true };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "stops",
            change: "default_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "stops" lost its default 3 and is required; services that relied on the default become incompatible',
          },
          {
            key: "stops",
            change: "required_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "stops" became required with no default; services that do not provide it become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("distinguishes a string default from a number default", () => {
      const from: FeatureDefinition = { key: "f", type: "string", required: false, default: "3" };
      const to: FeatureDefinition = { key: "f", type: "integer", required: false, default: 3 };
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "f",
            change: "default_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "f" changed its default from "3" to 3; services stay compatible',
          },
          {
            key: "f",
            change: "retyped",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "f" changed type from string to integer; values valid as string may be rejected as integer',
          },
        ],
        breaking: true,
      });
    });
  });

  describe("allowed_values_changed", () => {
    const enumDef = (values: string[]): FeatureDefinition => ({
      key: "mode",
      type: "enum",
      required: false,
      allowed_values: values,
    });

    it("only adding values is compatible", () => {
      const from = enumDef(["a", "b"]);
      const to = enumDef(["a", "b", "c", "d"]);
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "mode",
            change: "allowed_values_changed",
            from,
            to,
            impact: "compatible",
            reason: 'feature "mode" now also allows "c", "d"; provided values stay valid',
          },
        ],
        breaking: false,
      });
    });

    it("removing values is breaking, even on an optional feature", () => {
      const from = enumDef(["a", "b", "c"]);
      const to = enumDef(["a"]);
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "mode",
            change: "allowed_values_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "mode" no longer allows "b", "c"; services providing a removed value become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("removing and adding at once is breaking and names both", () => {
      const from = enumDef(["a", "b"]);
      const to = enumDef(["a", "c"]);
      expect(diffContracts([from], [to])).toEqual({
        changes: [
          {
            key: "mode",
            change: "allowed_values_changed",
            from,
            to,
            impact: "breaking",
            reason:
              'feature "mode" no longer allows "b" (and now also allows "c"); services providing a removed value become incompatible',
          },
        ],
        breaking: true,
      });
    });

    it("is not reported when an enum becomes another type", () => {
      const from = enumDef(["a"]);
      const to: FeatureDefinition = { key: "mode", type: "integer", required: false };
      expect(diffContracts([from], [to]).changes.map((change) => change.change)).toEqual([
        "retyped",
      ]);
    });
  });

  it("reports several aspects of one feature, sorted by change", () => {
    const from: FeatureDefinition = {
      key: "mode",
      type: "enum",
      required: false,
      allowed_values: ["a", "b"],
      default: "a",
    };
    const to: FeatureDefinition = {
      key: "mode",
      type: "enum",
      required: true,
      allowed_values: ["b", "c"],
      default: "b",
    };
    expect(diffContracts([from], [to])).toEqual({
      changes: [
        {
          key: "mode",
          change: "allowed_values_changed",
          from,
          to,
          impact: "breaking",
          reason:
            'feature "mode" no longer allows "a" (and now also allows "c"); services providing a removed value become incompatible',
        },
        {
          key: "mode",
          change: "default_changed",
          from,
          to,
          impact: "compatible",
          reason: 'feature "mode" changed its default from "a" to "b"; services stay compatible',
        },
        {
          key: "mode",
          change: "required_changed",
          from,
          to,
          impact: "compatible",
          reason:
            'feature "mode" became required with default "b"; services without it use the default',
        },
      ],
      breaking: true,
    });
  });

  it("sorts changes across features by key (code-unit order), and is not breaking when every change is compatible", () => {
    const from: FeatureDefinition[] = [
      { key: "zeta", type: "integer", required: true },
      { key: "beta", type: "string", required: true },
      { key: "Alpha", type: "string", required: false },
    ];
    const to: FeatureDefinition[] = [
      { key: "zeta", type: "number", required: true },
      { key: "alpha", type: "string", required: false },
      { key: "Alpha", type: "string", required: false },
    ];
    expect(diffContracts(from, to)).toEqual({
      changes: [
        {
          key: "alpha",
          change: "added",
          from: null,
          to: to[1],
          impact: "compatible",
          reason: 'feature "alpha" was added as optional; services without it stay compatible',
        },
        {
          key: "beta",
          change: "removed",
          from: from[1],
          to: null,
          impact: "compatible",
          reason:
            'feature "beta" was removed; services that provide it keep it as an unused feature',
        },
        {
          key: "zeta",
          change: "retyped",
          from: from[0],
          to: to[0],
          impact: "compatible",
          reason:
            'feature "zeta" changed type from integer to number; every integer value is a valid number, so provided values stay valid',
        },
      ],
      breaking: false,
    });
  });

  it("models the demo upgrade: 1.0.0 → 2.0.0 requires route with no default", () => {
    const v1: FeatureDefinition[] = [{ key: "stops", type: "integer", required: false }];
    const v2: FeatureDefinition[] = [
      { key: "stops", type: "integer", required: false },
      { key: "route", type: "string", required: true },
    ];
    expect(diffContracts(v1, v2)).toEqual({
      changes: [
        {
          key: "route",
          change: "added",
          from: null,
          to: v2[1],
          impact: "breaking",
          reason:
            'feature "route" was added as required with no default; services that do not provide it become incompatible',
        },
      ],
      breaking: true,
    });
    expect(diffContracts(v2, v1)).toEqual({
      changes: [
        {
          key: "route",
          change: "removed",
          from: v2[1],
          to: null,
          impact: "compatible",
          reason:
            'feature "route" was removed; services that provide it keep it as an unused feature',
        },
      ],
      breaking: false,
    });
  });

  it("uses the first definition of a duplicated key", () => {
    const from: FeatureDefinition[] = [
      { key: "x", type: "string", required: false },
      { key: "x", type: "integer", required: true },
    ];
    const to: FeatureDefinition[] = [{ key: "x", type: "string", required: false }];
    expect(diffContracts(from, to)).toEqual({ changes: [], breaking: false });
  });
});
