"use client";
// Descriptions written in the registry (models, versions, features) may use Markdown: `route`, *emphasis*,
// links. This renders it safely; the renderer loads on its own, so pages don't pay for it up front, and until it
// has loaded the text shows as written.
import { lazy, Suspense } from "react";

const MarkdownInline = lazy(() => import("./markdown-inline"));

export function MarkdownText({ children, className }: { children: string; className?: string }) {
  return (
    <span className={className}>
      <Suspense fallback={children}>
        <MarkdownInline>{children}</MarkdownInline>
      </Suspense>
    </span>
  );
}
