// Maps a request path to its route template ("/v2/clients/[client_id]"), the label metrics and logs use: never
// the raw path, whose ids would give every client its own time series. The templates come from the build's
// app-path-routes-manifest.json, matched with Next's precedence (a static segment beats a dynamic one, which
// beats a catch-all).

/** Builds a matcher from route templates such as "/v2/clients/[client_id]" or "/v2/[...path]". */
export function createRouteMatcher(templates) {
  const routes = [...new Set(templates)]
    .filter((t) => t.startsWith("/"))
    .map((template) => ({
      template,
      segments: template
        .split("/")
        .filter(Boolean)
        .map((s) =>
          s.startsWith("[[...")
            ? { kind: 3 }
            : s.startsWith("[...")
              ? { kind: 2 }
              : s.startsWith("[")
                ? { kind: 1 }
                : { kind: 0, value: s },
        ),
    }))
    // Precedence, segment by segment from the left: static (0) < dynamic (1) < catch-all (2, 3).
    .sort((a, b) => {
      const n = Math.max(a.segments.length, b.segments.length);
      for (let i = 0; i < n; i++) {
        const ka = a.segments[i]?.kind ?? -1;
        const kb = b.segments[i]?.kind ?? -1;
        if (ka !== kb) return ka === -1 ? -1 : kb === -1 ? 1 : ka - kb;
      }
      return 0;
    });

  function matches(route, parts) {
    const segs = route.segments;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      if (seg.kind === 3) return true;
      if (seg.kind === 2) return i < parts.length;
      if (i >= parts.length) return false;
      if (seg.kind === 0 && seg.value !== parts[i]) return false;
    }
    return segs.length === parts.length;
  }

  return function templateOf(pathname) {
    if (pathname.startsWith("/_next/"))
      return pathname.startsWith("/_next/static/") ? "/_next/static" : "/_next";
    let parts;
    try {
      parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      return "unmatched";
    }
    for (const route of routes) if (matches(route, parts)) return route.template;
    return "unmatched";
  };
}

/** The templates of a production build (the values of .next/app-path-routes-manifest.json). */
export async function loadBuildTemplates(distDir) {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const file = path.join(distDir, "app-path-routes-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  return Object.values(manifest).filter((t) => !t.startsWith("/_"));
}
