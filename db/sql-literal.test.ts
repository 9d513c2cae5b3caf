import { describe, expect, it } from "vitest";
import { openDatabase } from "./open";
import { inlineParams, sqlLiteral } from "./sql-literal";

describe("sqlLiteral", () => {
  it("quotes strings, doubling quotes, and uses E'' for backslashes", () => {
    expect(sqlLiteral("plain")).toBe("'plain'");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("a\\b'c")).toBe(" E'a\\\\b''c'");
  });
  it("writes numbers, booleans, null, arrays and JSON objects", () => {
    expect([sqlLiteral(3), sqlLiteral(true), sqlLiteral(null), sqlLiteral(undefined)]).toEqual([
      "3",
      "true",
      "NULL",
      "NULL",
    ]);
    expect(sqlLiteral(["a", "b'"])).toBe("ARRAY['a', 'b''']::text[]");
    expect(sqlLiteral({ k: "v" })).toBe(`'{"k":"v"}'`);
  });
  it("refuses what it can't write safely", () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow();
    expect(() => sqlLiteral(`a${String.fromCharCode(0)}b`)).toThrow();
  });
});

describe("inlineParams", () => {
  it("replaces $n by position, including $10 and beyond, without rescanning replaced text", () => {
    const params = ["$2", "b", 3, 4, 5, 6, 7, 8, 9, "ten"];
    expect(inlineParams("select $1, $2, $10", params)).toBe("select '$2', 'b', 'ten'");
    expect(() => inlineParams("select $3", [1])).toThrow(/\$3/);
  });

  it("round-trips awkward values through a real database unchanged", async () => {
    const database = await openDatabase({ dataDir: "memory://" });
    try {
      const values = ["it's", "back\\slash", "multi\nline", "emoji 🚍", "$1 and $$", ""];
      for (const value of values) {
        const [row] = await database.query<{ v: string; j: unknown }>(
          inlineParams("select $1::text as v, $2::jsonb as j", [value, JSON.stringify({ value })]),
        );
        expect(row).toEqual({ v: value, j: { value } });
      }
    } finally {
      await database.close();
    }
  });
});
