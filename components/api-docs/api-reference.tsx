"use client";
// Swagger UI's prebuilt bundle (about 450 kB gzipped, with its own React) is loaded only here, in the browser,
// after the page shell. It is served from this app like any other chunk: no CDN, no fonts from elsewhere, so the
// reference works with no internet. See docs/decisions/019-api-reference-renderer.md.
import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

export function ApiReference() {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    const node = container.current;
    if (!node) return;
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-es-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled) return;
        SwaggerUIBundle({
          domNode: node,
          url: "/v2/openapi.json",
          docExpansion: "list",
          deepLinking: true,
          defaultModelsExpandDepth: 0,
          displayRequestDuration: true,
          // The online validator badge would call validator.swagger.io: never leave this server.
          validatorUrl: null,
        });
        setState("ready");
      })
      .catch(() => {
        if (!cancelled) setState("failed");
      });
    return () => {
      cancelled = true;
      node.replaceChildren();
    };
  }, []);

  return (
    <div className="api-reference">
      {state === "loading" && (
        <p className="py-8 text-sm text-fg-muted">Loading the API reference…</p>
      )}
      {state === "failed" && (
        <p role="alert" className="py-8 text-sm">
          The API reference could not be loaded. Reload the page, or read{" "}
          <a className="underline" href="/v2/openapi.json">
            /v2/openapi.json
          </a>{" "}
          directly.
        </p>
      )}
      <div ref={container} />
    </div>
  );
}
