import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/shared/errors";
import { parseChangeReason } from "./change-reason";
import { encodeChangeReason } from "../../shared/reason-header";

const fails = (raw: string) => {
  try {
    parseChangeReason(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error(`"${raw}" was accepted`);
};

describe("parseChangeReason", () => {
  it("trims, and treats absent or blank as none", () => {
    expect(parseChangeReason(null)).toBeNull();
    expect(parseChangeReason("   ")).toBeNull();
    expect(parseChangeReason("  why  ")).toBe("why");
  });

  it("decodes runs of %XX as UTF-8 and keeps a lone %", () => {
    expect(parseChangeReason("Z%C3%BCrich%20%F0%9F%9A%86")).toBe("Zürich 🚆");
    expect(parseChangeReason("50% rollout")).toBe("50% rollout");
    expect(parseChangeReason("100%25")).toBe("100%");
    expect(fails("%E2%82")).toMatch(/not percent-encoded UTF-8/);
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    expect(parseChangeReason(encodeURIComponent("🚆".repeat(500)))).toHaveLength(1000);
    expect(fails(encodeURIComponent("🚆".repeat(501)))).toMatch(
      /501 characters long; the limit is 500 characters/,
    );
  });

  it("refuses control characters and raw non-ASCII", () => {
    expect(fails("a%0Ab")).toMatch(/control character/);
    expect(fails("a%C2%85b")).toMatch(/control character/);
    expect(fails("a\tb")).toMatch(/control character/);
    expect(fails("caf\u00e9")).toMatch(/percent-encode/);
  });
});

describe("encodeChangeReason", () => {
  it("round-trips through the parser, encoding only what a header can't carry", () => {
    for (const reason of ["plain ASCII, with (punctuation)!", "50% of Zürich", "🚆 — “quotes”"]) {
      const header = encodeChangeReason(reason);
      expect(header).toMatch(/^[\x20-\x7e]*$/);
      expect(parseChangeReason(header)).toBe(reason);
    }
    expect(encodeChangeReason("plain")).toBe("plain");
  });
});
