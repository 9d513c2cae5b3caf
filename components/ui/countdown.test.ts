// The countdown's words: days and hours far ahead, then hours, minutes and seconds, down to seconds.
import { describe, expect, it } from "vitest";
import { formatRemaining } from "./countdown";

describe("formatRemaining", () => {
  it("reads as people count down", () => {
    expect(formatRemaining(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe("3 d 04 h");
    expect(formatRemaining(2 * 3_600_000 + 5 * 60_000 + 9_000)).toBe("2 h 05 min 09 s");
    expect(formatRemaining(5 * 60_000 + 9_000)).toBe("5 min 09 s");
    expect(formatRemaining(42_000)).toBe("42 s");
    // A part of a second left still counts as a second (it reaches "due now" only at zero).
    expect(formatRemaining(1)).toBe("1 s");
    expect(formatRemaining(59_001)).toBe("1 min 00 s");
  });
});
