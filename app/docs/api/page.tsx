// /docs/api: the interactive API reference, rendered in the browser from /v2/openapi.json; public, like the document.
import type { Metadata } from "next";
import { ApiReference } from "@/components/api-docs/api-reference";

export const metadata: Metadata = {
  title: "API reference",
  description:
    "Every /v2 route with its scopes, errors and examples; try any of them with a pasted token.",
};

export default function ApiReferencePage() {
  return (
    <main className="mx-auto max-w-6xl p-4">
      <h1 className="text-xl font-semibold">API reference</h1>
      <p className="mt-1 text-sm text-fg-muted">
        To try a route, press <strong>Authorize</strong>, paste a bearer token (from{" "}
        <code>npm run token</code> or Access → API tokens) into <code>bearerAuth</code>, then open
        an operation and press <strong>Try it out</strong>. Requests go to this server. The raw
        document is at{" "}
        <a className="underline" href="/v2/openapi.json">
          /v2/openapi.json
        </a>
        .
      </p>
      <ApiReference />
    </main>
  );
}
