import { describe, expect, it } from "vitest";
import type { FeatureDefinition } from "./types";
import { validateFeatureDefinitions } from "./validate-feature-definitions";

const KEY_RULE =
  'the key must start with a letter or "_" and contain only letters, digits, "_", "." or "-" (at most 128 characters); rename it';

describe("validateFeatureDefinitions", () => {
  describe("valid input", () => {
    it("accepts an empty list", () => {
      expect(validateFeatureDefinitions([])).toEqual({ ok: true, definitions: [] });
    });

    it("accepts one valid definition of every type, with matching defaults", () => {
      const input: FeatureDefinition[] = [
        { key: "route", type: "string", required: true, description: "the route served" },
        { key: "speed", type: "number", required: false, default: 1.5 },
        { key: "stops", type: "integer", required: true, default: 2 },
        { key: "live", type: "boolean", required: false, default: false },
        {
          key: "mode",
          type: "enum",
          required: true,
          allowed_values: ["fast", "slow"],
          default: "slow",
        },
      ];
      expect(validateFeatureDefinitions(input)).toEqual({ ok: true, definitions: input });
    });

    it("accepts falsy defaults of the right type", () => {
      const input: FeatureDefinition[] = [
        { key: "a", type: "string", required: true, default: "" },
        { key: "b", type: "integer", required: true, default: 0 },
        { key: "c", type: "number", required: true, default: -0.5 },
        { key: "d", type: "boolean", required: true, default: false },
      ];
      expect(validateFeatureDefinitions(input)).toEqual({ ok: true, definitions: input });
    });

    it("accepts an integer-valued number (2.0) as an integer default and an integer as a number default", () => {
      const input: FeatureDefinition[] = [
        { key: "a", type: "integer", required: false, default: 2.0 },
        { key: "b", type: "number", required: false, default: 3 },
      ];
      expect(validateFeatureDefinitions(input)).toEqual({ ok: true, definitions: input });
    });

    it("accepts keys at the edges of the pattern", () => {
      const input: FeatureDefinition[] = [
        { key: "a", type: "string", required: false },
        { key: "_", type: "string", required: false },
        { key: "Z9_.-x", type: "string", required: false },
        { key: "a".repeat(128), type: "string", required: false },
      ];
      expect(validateFeatureDefinitions(input)).toEqual({ ok: true, definitions: input });
    });

    it("accepts keys that differ only in case as distinct", () => {
      const input: FeatureDefinition[] = [
        { key: "route", type: "string", required: false },
        { key: "Route", type: "string", required: false },
      ];
      expect(validateFeatureDefinitions(input)).toEqual({ ok: true, definitions: input });
    });
  });

  describe("normalization", () => {
    it("drops undefined and null optionals, keeps the order of definitions", () => {
      const input = [
        { key: "b", type: "string", required: true, default: undefined, description: undefined },
        { key: "a", type: "integer", required: false, default: null, allowed_values: undefined },
      ] as unknown as FeatureDefinition[];
      const result = validateFeatureDefinitions(input);
      expect(result).toEqual({
        ok: true,
        definitions: [
          { key: "b", type: "string", required: true },
          { key: "a", type: "integer", required: false },
        ],
      });
      // toEqual ignores undefined-valued properties, so the keys are checked explicitly.
      if (!result.ok) throw new Error("expected ok");
      expect(result.definitions.map((definition) => Object.keys(definition))).toEqual([
        ["key", "type", "required"],
        ["key", "type", "required"],
      ]);
    });

    it("drops properties that are not part of a definition", () => {
      const input = [
        { key: "a", type: "string", required: true, extra: 1 },
      ] as unknown as FeatureDefinition[];
      const result = validateFeatureDefinitions(input);
      if (!result.ok) throw new Error("expected ok");
      expect(Object.keys(result.definitions[0] ?? {})).toEqual(["key", "type", "required"]);
    });

    it("returns copies that do not share the input's objects", () => {
      const input: FeatureDefinition[] = [
        { key: "m", type: "enum", required: true, allowed_values: ["a"] },
      ];
      const result = validateFeatureDefinitions(input);
      if (!result.ok) throw new Error("expected ok");
      expect(result.definitions[0]).not.toBe(input[0]);
      expect(result.definitions[0]?.allowed_values).not.toBe(input[0]?.allowed_values);
      expect(result.definitions).toEqual([
        { key: "m", type: "enum", required: true, allowed_values: ["a"] },
      ]);
    });
  });

  describe("keys", () => {
    const badKeys = ["", "1abc", "-a", ".a", "a b", "a/b", "é", "a:b", "a".repeat(129), " a"];
    for (const key of badKeys) {
      it(`rejects the key ${JSON.stringify(key.length > 20 ? `${key.slice(0, 10)}…` : key)}`, () => {
        expect(validateFeatureDefinitions([{ key, type: "string", required: false }])).toEqual({
          ok: false,
          problems: [`feature ${JSON.stringify(key)}: ${KEY_RULE}`],
        });
      });
    }

    it("reports a duplicate key once, naming every entry", () => {
      expect(
        validateFeatureDefinitions([
          { key: "route", type: "string", required: true },
          { key: "other", type: "string", required: true },
          { key: "route", type: "string", required: false },
          { key: "route", type: "integer", required: false },
        ]),
      ).toEqual({
        ok: false,
        problems: [
          'feature "route": defined 3 times (entries 1, 3, 4); each key must be unique, keep one definition',
        ],
      });
    });

    it("still checks each duplicate and names the entry in its problems", () => {
      expect(
        validateFeatureDefinitions([
          { key: "n", type: "integer", required: true },
          { key: "n", type: "integer", required: true, default: "x" },
        ]),
      ).toEqual({
        ok: false,
        problems: [
          'feature "n": defined 2 times (entries 1, 2); each key must be unique, keep one definition',
          'feature "n" (entry 2): default "x" is not an integer; give an integer default or remove it',
        ],
      });
    });
  });

  describe("defaults", () => {
    const cases: [FeatureDefinition, string][] = [
      [
        { key: "stops", type: "integer", required: true, default: "ten" },
        'feature "stops": default "ten" is not an integer; give an integer default or remove it',
      ],
      [
        { key: "stops", type: "integer", required: true, default: 1.5 },
        'feature "stops": default 1.5 is not an integer; give an integer default or remove it',
      ],
      [
        { key: "stops", type: "integer", required: true, default: Number.NaN },
        'feature "stops": default NaN is not an integer; give an integer default or remove it',
      ],
      [
        { key: "speed", type: "number", required: false, default: "3" },
        'feature "speed": default "3" is not a finite number; give a number default or remove it',
      ],
      [
        { key: "speed", type: "number", required: false, default: Number.NaN },
        'feature "speed": default NaN is not a finite number; give a number default or remove it',
      ],
      [
        { key: "speed", type: "number", required: false, default: Number.POSITIVE_INFINITY },
        'feature "speed": default Infinity is not a finite number; give a number default or remove it',
      ],
      [
        { key: "speed", type: "number", required: false, default: true },
        'feature "speed": default true is not a finite number; give a number default or remove it',
      ],
      [
        { key: "route", type: "string", required: false, default: 5 },
        'feature "route": default 5 is not a string; give a string default or remove it',
      ],
      [
        { key: "route", type: "string", required: false, default: false },
        'feature "route": default false is not a string; give a string default or remove it',
      ],
      [
        { key: "live", type: "boolean", required: false, default: "true" },
        'feature "live": default "true" is not a boolean (true or false); give a boolean default or remove it',
      ],
      [
        { key: "live", type: "boolean", required: false, default: 1 },
        'feature "live": default 1 is not a boolean (true or false); give a boolean default or remove it',
      ],
      [
        {
          key: "mode",
          type: "enum",
          required: true,
          allowed_values: ["fast", "slow"],
          default: "medium",
        },
        'feature "mode": default "medium" is not one of the allowed values (fast, slow); give one of them as the default or remove it',
      ],
      [
        { key: "mode", type: "enum", required: true, allowed_values: ["1", "2"], default: 1 },
        'feature "mode": default 1 is not one of the allowed values (1, 2); give one of them as the default or remove it',
      ],
    ];
    for (const [definition, problem] of cases) {
      it(`rejects ${definition.type} default ${String(definition.default)}`, () => {
        expect(validateFeatureDefinitions([definition])).toEqual({
          ok: false,
          problems: [problem],
        });
      });
    }
  });

  describe("allowed_values", () => {
    it("requires allowed_values on an enum", () => {
      expect(validateFeatureDefinitions([{ key: "mode", type: "enum", required: true }])).toEqual({
        ok: false,
        problems: [
          'feature "mode": type "enum" needs a non-empty allowed_values list; list the values the feature may take',
        ],
      });
    });

    it("rejects an empty allowed_values on an enum, without also complaining about its default", () => {
      expect(
        validateFeatureDefinitions([
          { key: "mode", type: "enum", required: true, allowed_values: [], default: "x" },
        ]),
      ).toEqual({
        ok: false,
        problems: [
          'feature "mode": type "enum" needs a non-empty allowed_values list; list the values the feature may take',
        ],
      });
    });

    it("rejects null allowed_values on an enum", () => {
      const input = [
        { key: "mode", type: "enum", required: true, allowed_values: null },
      ] as unknown as FeatureDefinition[];
      expect(validateFeatureDefinitions(input)).toEqual({
        ok: false,
        problems: [
          'feature "mode": type "enum" needs a non-empty allowed_values list; list the values the feature may take',
        ],
      });
    });

    it("rejects empty strings and duplicates, reporting each duplicate value once", () => {
      expect(
        validateFeatureDefinitions([
          {
            key: "mode",
            type: "enum",
            required: true,
            allowed_values: ["a", "", "a", "b", "b", "a"],
          },
        ]),
      ).toEqual({
        ok: false,
        problems: [
          'feature "mode": allowed_values[1] is an empty string; remove it or give the value a name',
          'feature "mode": allowed_values lists "a" more than once; list each value once',
          'feature "mode": allowed_values lists "b" more than once; list each value once',
        ],
      });
    });

    it("rejects non-string allowed values", () => {
      const input = [
        { key: "mode", type: "enum", required: true, allowed_values: ["a", 2, null] },
      ] as unknown as FeatureDefinition[];
      expect(validateFeatureDefinitions(input)).toEqual({
        ok: false,
        problems: [
          'feature "mode": allowed_values[1] is 2, not a string; enum values must be strings',
          'feature "mode": allowed_values[2] is null, not a string; enum values must be strings',
        ],
      });
    });

    it("checks an enum default only against the usable values", () => {
      expect(
        validateFeatureDefinitions([
          { key: "mode", type: "enum", required: true, allowed_values: ["a", ""], default: "" },
        ]),
      ).toEqual({
        ok: false,
        problems: [
          'feature "mode": allowed_values[1] is an empty string; remove it or give the value a name',
          'feature "mode": default "" is not one of the allowed values (a); give one of them as the default or remove it',
        ],
      });
    });

    for (const type of ["string", "number", "integer", "boolean"] as const) {
      it(`rejects allowed_values on type ${type}`, () => {
        expect(
          validateFeatureDefinitions([{ key: "f", type, required: false, allowed_values: ["a"] }]),
        ).toEqual({
          ok: false,
          problems: [
            `feature "f": allowed_values only applies to type "enum", but the type is "${type}"; remove allowed_values or change the type to "enum"`,
          ],
        });
      });
    }

    it("rejects even an empty allowed_values on a non-enum type", () => {
      expect(
        validateFeatureDefinitions([
          { key: "f", type: "string", required: false, allowed_values: [] },
        ]),
      ).toEqual({
        ok: false,
        problems: [
          'feature "f": allowed_values only applies to type "enum", but the type is "string"; remove allowed_values or change the type to "enum"',
        ],
      });
    });
  });

  it("rejects an unknown type (if structural parsing let one through)", () => {
    const input = [
      { key: "f", type: "date", required: false, default: "x" },
    ] as unknown as FeatureDefinition[];
    expect(validateFeatureDefinitions(input)).toEqual({
      ok: false,
      problems: [
        'feature "f": type "date" is unknown; use one of string, number, integer, boolean, enum',
      ],
    });
  });

  it("collects every problem of every kind at once, in input order", () => {
    const input: FeatureDefinition[] = [
      { key: "route", type: "string", required: true },
      { key: "9lives", type: "integer", required: false, default: 1.5 },
      { key: "stops", type: "integer", required: true, default: "ten" },
      { key: "mode", type: "enum", required: true },
      {
        key: "level",
        type: "enum",
        required: true,
        allowed_values: ["hi", "hi", "lo"],
        default: "mid",
      },
      { key: "label", type: "string", required: false, allowed_values: ["x"], default: 3 },
      { key: "route", type: "boolean", required: false, default: "yes" },
      { key: "ok", type: "boolean", required: false, default: true },
    ];
    expect(validateFeatureDefinitions(input)).toEqual({
      ok: false,
      problems: [
        'feature "route": defined 2 times (entries 1, 7); each key must be unique, keep one definition',
        `feature "9lives": ${KEY_RULE}`,
        'feature "9lives": default 1.5 is not an integer; give an integer default or remove it',
        'feature "stops": default "ten" is not an integer; give an integer default or remove it',
        'feature "mode": type "enum" needs a non-empty allowed_values list; list the values the feature may take',
        'feature "level": allowed_values lists "hi" more than once; list each value once',
        'feature "level": default "mid" is not one of the allowed values (hi, lo); give one of them as the default or remove it',
        'feature "label": allowed_values only applies to type "enum", but the type is "string"; remove allowed_values or change the type to "enum"',
        'feature "label": default 3 is not a string; give a string default or remove it',
        'feature "route" (entry 7): default "yes" is not a boolean (true or false); give a boolean default or remove it',
      ],
    });
  });

  it("does not mutate its input", () => {
    const input = [
      { key: "a", type: "enum", required: true, allowed_values: ["x", "y"], default: undefined },
    ] as unknown as FeatureDefinition[];
    const snapshot = structuredClone(input);
    validateFeatureDefinitions(input);
    expect(input).toStrictEqual(snapshot);
  });
});
