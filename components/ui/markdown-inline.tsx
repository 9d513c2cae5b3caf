"use client";
// The renderer behind MarkdownText (loaded lazily): react-markdown, which never renders raw HTML (skipHtml drops
// it) and passes link targets through its safe URL transform (no javascript: or data: links). Only inline
// elements are kept, so a description stays a line of text wherever it is shown; paragraphs become spaces.
import type { ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";

const INLINE = ["p", "code", "em", "strong", "a", "del", "br"];

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
    <Markdown allowedElements={INLINE} unwrapDisallowed skipHtml components={components}>
      {children}
    </Markdown>
  );
}
