"use client";
// Descriptions written in the registry (models, versions, features) may use Markdown: `route`, *emphasis*,
// links. This renders it safely. Text without any Markdown syntax is shown as it is; otherwise the renderer
// (about 35 kB gzip) loads on its own, so no page's first load pays for it, and until it has loaded the text shows
// as written.
import { lazy, Suspense } from "react";

const MarkdownInline = lazy(() => import("./markdown-inline"));

/** Characters without which inline Markdown renders as the plain text itself (code, emphasis, links, escapes, HTML, entities, breaks). */
const MARKDOWN_SYNTAX = /[`*_[\]~\\<>&\n]/;

export function hasMarkdown(text: string): boolean {
  return MARKDOWN_SYNTAX.test(text);
}

export function MarkdownText({ children, className }: { children: string; className?: string }) {
  return (
    <span className={className}>
      {hasMarkdown(children) ? (
        <Suspense fallback={children}>
          <MarkdownInline>{children}</MarkdownInline>
        </Suspense>
      ) : (
        children
      )}
    </span>
  );
}
