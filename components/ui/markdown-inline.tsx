"use client";
// The renderer behind MarkdownText (loaded lazily): react-markdown, which never renders raw HTML and passes link
// targets through its safe URL transform (no javascript: or data: links). Descriptions are one line of text
// wherever they are shown, so only inline Markdown is parsed: code, emphasis, strong, links, escapes. Block syntax ("1. ", "# ", "> "), images and raw HTML stay the literal text they were typed as.
import type { ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";

const INLINE = ["p", "code", "em", "strong", "a", "br"];

// micromark constructs turned off (see micromark's `disable` extension).
const OFF = [
  "blockQuote",
  "codeFenced",
  "codeIndented",
  "definition",
  "headingAtx",
  "htmlFlow",
  "htmlText",
  "labelStartImage",
  "list",
  "setextUnderline",
  "thematicBreak",
];

// A remark plugin: unified calls it with the processor as `this`.
function inlineOnly(this: { data: () => object }) {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push({ disable: { null: OFF } });
}

const components: Components = {
  p: ({ children }) => <>{children} </>,
  code: ({ children }) => (
    <code className="rounded bg-muted px-1 font-mono text-[0.92em]">{children}</code>
  ),
  a: ({ href, children }) => (
    <a className="text-accent underline" href={href} rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
};

export default function MarkdownInline({ children }: { children: string }): ReactNode {
  return (
    <Markdown
      remarkPlugins={[inlineOnly]}
      allowedElements={INLINE}
      unwrapDisallowed
      skipHtml
      components={components}
    >
      {children}
    </Markdown>
  );
}
