import { describe, expect, it } from "vitest";
import {
  inputKindFor,
  mustBeProvided,
  parseFeatureInput,
  toFormValue,
  type FeatureInputValue,
} from "./contract-form";
import type { FeatureDefinition } from "./types";

const route: FeatureDefinition = { key: "route", type: "string", required: true };
const stops: FeatureDefinition = { key: "stops", type: "integer", required: false, default: 10 };
const speed: FeatureDefinition = { key: "speed", type: "number", required: true };
const night: FeatureDefinition = { key: "night", type: "boolean", required: false };
const mode: FeatureDefinition = {
  key: "mode",
  type: "enum",
  required: true,
  default: "bus",
  allowed_values: ["bus", "tram"],
};
const zone: FeatureDefinition = {
  key: "zone",
  type: "enum",
  required: true,
  allowed_values: ["a", "b"],
};

describe("inputKindFor", () => {
  it("maps every type to its input", () => {
    expect([route, stops, speed, night, mode].map(inputKindFor)).toEqual([
      "text",
      "integer",
      "number",
      "switch",
      "select",
    ]);
  });
});

describe("mustBeProvided", () => {
  it("is true only for required features without a default", () => {
    expect([route, stops, speed, night, mode, zone].map(mustBeProvided)).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
    ]);
  });
});

describe("parseFeatureInput", () => {
  const parse = (d: FeatureDefinition, v: FeatureInputValue | undefined) => parseFeatureInput(d, v);
  const value = (v: unknown) => ({ kind: "value", value: v });
  const messageOf = (d: FeatureDefinition, v: FeatureInputValue) => {
    const result = parse(d, v);
    if (result.kind !== "invalid")
      throw new Error(`${JSON.stringify(v)} was read as ${result.kind}`);
    return result.message;
  };

  it("reads whole numbers for integers, with sign, spaces and exponents", () => {
    expect(parse(stops, "12")).toEqual(value(12));
    expect(parse(stops, " 7 ")).toEqual(value(7));
    expect(parse(stops, "-3")).toEqual(value(-3));
    expect(parse(stops, "+4")).toEqual(value(4));
    expect(parse(stops, "007")).toEqual(value(7));
    expect(parse(stops, "1e3")).toEqual(value(1000));
    expect(parse(stops, "12.0")).toEqual(value(12));
    expect(parse(stops, "-0")).toEqual(value(0));
  });

  it.each([
    "ten",
    "5-",
    "--5",
    "-",
    "+",
    ".",
    "1.2.3",
    "0x10",
    "1 000",
    "Infinity",
    "NaN",
    "12abc",
    "e5",
    "1e",
    "١٢",
    "true",
  ])("refuses %j for an integer with a message naming the key", (typed) => {
    expect(messageOf(stops, typed)).toMatch(/^stops must be a whole number such as 12/);
  });

  it("refuses decimals, decimal commas and unsafe sizes for an integer", () => {
    expect(messageOf(stops, "2.5")).toBe(
      "stops must be a whole number such as 12, without decimals; “2.5” is not one",
    );
    expect(messageOf(stops, "2,5")).toMatch(/whole number such as 12: no decimals/);
    expect(messageOf(stops, "9007199254740993")).toMatch(/too large/);
    expect(messageOf(stops, "1e400")).toMatch(/too large/);
  });

  it("reads numbers with decimals and refuses what is not one", () => {
    expect(parse(speed, "12.5")).toEqual(value(12.5));
    expect(parse(speed, ".5")).toEqual(value(0.5));
    expect(parse(speed, "5.")).toEqual(value(5));
    expect(parse(speed, "-1.5e-3")).toEqual(value(-0.0015));
    for (const typed of ["fast", "5-", "--5", "1.2.3", "Infinity", "0b1", "$5"])
      expect(messageOf(speed, typed)).toMatch(/^speed must be a number such as 2\.5/);
    expect(messageOf(speed, "2,5")).toBe(
      "speed must be a number such as 2.5: use a dot for decimals",
    );
  });

  it("shortens a long pasted value in the message", () => {
    expect(messageOf(speed, "x".repeat(500))).toContain(`“${"x".repeat(40)}…”`);
  });

  it("reports an empty or blank field as empty for every type but a switch", () => {
    for (const d of [route, stops, speed, mode, zone]) {
      expect(parse(d, "")).toEqual({ kind: "empty" });
      expect(parse(d, "   ")).toEqual({ kind: "empty" });
      expect(parse(d, undefined)).toEqual({ kind: "empty" });
    }
    expect(parse(night, false)).toEqual(value(false));
  });

  it("trims strings and keeps everything else as typed", () => {
    expect(parse(route, "  route-a ")).toEqual(value("route-a"));
    expect(parse(route, "12")).toEqual(value("12"));
    expect(parse(route, "ünïcode ✓")).toEqual(value("ünïcode ✓"));
  });

  it("reads switches and their string forms as booleans", () => {
    expect(parse(night, true)).toEqual(value(true));
    expect(parse(night, "true")).toEqual(value(true));
    expect(parse(night, " FALSE ")).toEqual(value(false));
    expect(messageOf(night, "yes")).toBe("night must be true or false");
    expect(messageOf(night, "1")).toBe("night must be true or false");
  });

  it("accepts only allowed enum values, exactly", () => {
    expect(parse(zone, "a")).toEqual(value("a"));
    expect(messageOf(zone, "c")).toBe("zone must be one of: a, b");
    expect(messageOf(zone, "A")).toBe("zone must be one of: a, b");
    expect(messageOf({ key: "k", type: "enum", required: false, allowed_values: [] }, "x")).toBe(
      "k must be one of: (no allowed values)",
    );
  });

  it("refuses a boolean where text or a number is expected", () => {
    expect(messageOf(stops, true)).toBe("stops must be a whole number, not true or false");
    expect(messageOf(route, false)).toBe("route must be text, not true or false");
  });
});

describe("toFormValue", () => {
  it("shows current values the way each input expects", () => {
    expect(toFormValue(route, "r")).toBe("r");
    expect(toFormValue(stops, 12)).toBe("12");
    expect(toFormValue(night, true)).toBe(true);
    expect(toFormValue(night, undefined)).toBe("");
    expect(toFormValue(night, "yes")).toBe(false);
    expect(toFormValue(route, null)).toBe("");
  });
});
