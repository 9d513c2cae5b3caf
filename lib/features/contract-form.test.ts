import { describe, expect, it } from "vitest";
import {
  contractFormSchema,
  featureValueSchema,
  inputKindFor,
  mustBeProvided,
  toFormValue,
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

describe("featureValueSchema", () => {
  const parse = (d: FeatureDefinition, v: unknown) => featureValueSchema(d).safeParse(v);

  it("trims strings and requires a required string", () => {
    expect(parse(route, "  route-a ")).toEqual({ success: true, data: "route-a" });
    const empty = parse(route, "   ");
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toBe("route is required by this version");
  });

  it("turns number inputs into numbers and rejects text", () => {
    expect(parse(speed, "12.5")).toEqual({ success: true, data: 12.5 });
    expect(parse(speed, 3)).toEqual({ success: true, data: 3 });
    expect(parse(speed, "fast").error?.issues[0]?.message).toBe("speed must be a number");
  });

  it("accepts whole numbers only for integers", () => {
    expect(parse(stops, "12")).toEqual({ success: true, data: 12 });
    expect(parse(stops, "1.5").error?.issues[0]?.message).toBe("stops must be a whole number");
  });

  it("treats an empty optional field as null (removes the key)", () => {
    expect(parse(stops, "")).toEqual({ success: true, data: null });
    expect(parse(night, undefined)).toEqual({ success: true, data: null });
  });

  it("reads switches and their string forms as booleans", () => {
    expect(parse(night, true)).toEqual({ success: true, data: true });
    expect(parse(night, false)).toEqual({ success: true, data: false });
    expect(parse(night, "true")).toEqual({ success: true, data: true });
  });

  it("accepts only allowed enum values", () => {
    expect(parse(zone, "a")).toEqual({ success: true, data: "a" });
    expect(parse(zone, "c").error?.issues[0]?.message).toBe("zone must be one of: a, b");
    expect(parse(zone, "").error?.issues[0]?.message).toBe("zone is required by this version");
    expect(parse(mode, "")).toEqual({ success: true, data: null });
  });
});

describe("contractFormSchema", () => {
  it("validates several features at once and reports each by key", () => {
    const schema = contractFormSchema([route, stops, zone]);
    expect(schema.safeParse({ route: "r1", stops: "4", zone: "b" })).toEqual({
      success: true,
      data: { route: "r1", stops: 4, zone: "b" },
    });
    const bad = schema.safeParse({ route: "", stops: "x", zone: "q" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["route", "route is required by this version"],
      ["stops", "stops must be a whole number"],
      ["zone", "zone must be one of: a, b"],
    ]);
  });
});

describe("toFormValue", () => {
  it("shows current values the way each input expects", () => {
    expect(toFormValue(route, "r")).toBe("r");
    expect(toFormValue(stops, 12)).toBe("12");
    expect(toFormValue(night, true)).toBe(true);
    expect(toFormValue(night, undefined)).toBe(false);
    expect(toFormValue(route, null)).toBe("");
  });
});
