import { describe, expect, it } from "vitest";
import { hasMarkdown } from "./markdown-text";

describe("hasMarkdown", () => {
  it("is false for plain words, numbers and punctuation, which need no renderer", () => {
    for (const text of ["First release", "Per-route patterns; 2.0.0 (beta), 50% faster!", ""])
      expect(hasMarkdown(text)).toBe(false);
  });

  it("is true for code, emphasis, links, escapes, raw HTML, entities and line breaks", () => {
    for (const text of [
      "needs `route`",
      "*care*",
      "__strong__",
      "[docs](https://example.com)",
      "~~old~~",
      "a \\* star",
      "<img src=x>",
      "&amp;",
      "two\nlines",
    ])
      expect(hasMarkdown(text), text).toBe(true);
  });
});
