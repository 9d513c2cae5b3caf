import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import MarkdownInline from "./markdown-inline";

const render = (text: string) => renderToStaticMarkup(createElement(MarkdownInline, null, text));

describe("MarkdownInline", () => {
  it("renders inline code, emphasis and strong", () => {
    const html = render("Per-route patterns; needs `route`, *care* and **more**");
    expect(html).toContain(">route</code>");
    expect(html).toContain("<em>care</em>");
    expect(html).toContain("<strong>more</strong>");
    expect(html).not.toContain("`");
    expect(html).not.toContain("<p>");
  });

  it("keeps raw HTML as the text it was typed as, never as elements", () => {
    const html = render('before <img src="x" onerror="alert(1)"> <script>alert(2)</script> after');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain("&lt;img");
  });

  it("drops script links but keeps their words, and keeps https links", () => {
    const html = render("[bad](javascript:alert(1)) and [docs](https://example.com/a)");
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain(">bad</a>");
    expect(html).toContain('href="https://example.com/a"');
  });

  it("leaves block syntax and images as written", () => {
    expect(render("1. needs `route`")).toMatch(/^1\. needs <code[^>]*>route<\/code>/);
    expect(render("# Title")).toContain("# Title");
    expect(render("- item")).toContain("- item");
    expect(render("![alt](https://example.com/i.png)")).not.toContain("<img");
  });
});
