"use client";
// The services table's state lives in the URL (?q=&status=&feature=&compatible_with=&compatible=&cursor=&trail=),
// so a reload, a shared link or Back keeps the place. Updates use the History API, which Next's router observes
// (useSearchParams follows) without a server round trip.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

export type ServiceStatusFilter = "active" | "departed" | "all";

export type ServicesTableParams = {
  q: string;
  status: ServiceStatusFilter;
  /** One `key=value` filter on provided features. */
  feature: string;
  /** `model@version`, or "" for none. */
  compatibleWith: string;
  compatible: "" | "true" | "false";
  /** The API cursor of the page shown ("" = first page). */
  cursor: string;
  /** The cursors of the pages before this one (not the first page's), for "Previous". */
  trail: string[];
};

/** A feature filter the API takes: `key=value`, `key=` (services without the key), or none. */
export const isFeatureFilter = (text: string) => text === "" || text.indexOf("=") > 0;

/** Whether anything narrows the list (the default is every active service). */
export const hasFilters = (params: ServicesTableParams) =>
  !!(params.q || params.feature || params.compatibleWith || params.status !== "active");

const STATUSES: readonly ServiceStatusFilter[] = ["active", "departed", "all"];
// Cursors are base64url, so "." never occurs inside one.
const TRAIL_SEPARATOR = ".";

function parse(search: URLSearchParams): ServicesTableParams {
  const status = search.get("status") as ServiceStatusFilter | null;
  const compatible = search.get("compatible");
  const compatibleWith = search.get("compatible_with") ?? "";
  const trail = search.get("trail");
  return {
    q: search.get("q") ?? "",
    status: status && STATUSES.includes(status) ? status : "active",
    feature: search.get("feature") ?? "",
    compatibleWith,
    compatible:
      compatibleWith && (compatible === "true" || compatible === "false") ? compatible : "",
    cursor: search.get("cursor") ?? "",
    trail: trail ? trail.split(TRAIL_SEPARATOR).filter(Boolean) : [],
  };
}

function serialize(params: ServicesTableParams): string {
  const out = new URLSearchParams();
  if (params.q) out.set("q", params.q);
  if (params.status !== "active") out.set("status", params.status);
  if (params.feature) out.set("feature", params.feature);
  if (params.compatibleWith) out.set("compatible_with", params.compatibleWith);
  if (params.compatibleWith && params.compatible) out.set("compatible", params.compatible);
  if (params.cursor) out.set("cursor", params.cursor);
  if (params.cursor && params.trail.length > 0)
    out.set("trail", params.trail.join(TRAIL_SEPARATOR));
  return out.toString();
}

export function useServicesTableParams() {
  const search = useSearchParams();
  const pathname = usePathname();
  const params = useMemo(() => parse(new URLSearchParams(search.toString())), [search]);

  /**
   * Changes some params. Any change other than the page itself starts again from the first page.
   * `replace` for keystrokes (no history entry per letter), `push` for deliberate moves.
   */
  const update = useCallback(
    (patch: Partial<ServicesTableParams>, mode: "push" | "replace" = "push") => {
      const next = { ...params, ...patch };
      if (!("cursor" in patch)) {
        next.cursor = "";
        next.trail = [];
      }
      const qs = serialize(next);
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [params, pathname],
  );

  return [params, update] as const;
}
