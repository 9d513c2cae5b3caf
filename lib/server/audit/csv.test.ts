import { describe, expect, it } from "vitest";
import { csvField } from "./read-audit";

describe("csvField (RFC 4180, formula-safe)", () => {
  it("quotes fields with commas, quotes or line breaks, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField(null)).toBe("");
  });

  it("prefixes cells a spreadsheet would run as a formula", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+cmd")).toBe("'+cmd");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField("a=b")).toBe("a=b");
  });

  it("writes JSON values as JSON", () => {
    expect(csvField({ a: 1, b: "x" })).toBe('"{""a"":1,""b"":""x""}"');
  });
});
