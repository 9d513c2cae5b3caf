"use client";
// The services table's pages: the API's cursors kept in the URL (the current one and the trail before it), and
// the Previous / Next buttons with where the page stands ("services 51–100").
import { Button } from "@/components/ui/button";
import type { ServicesTableParams } from "./use-services-table-params";

export const SERVICES_PAGE_SIZE = 50;
const PAGER = "aria-disabled:cursor-not-allowed aria-disabled:opacity-50";

export function useServicesPager(
  params: ServicesTableParams,
  update: (patch: Partial<ServicesTableParams>) => void,
  page: { data?: { next_cursor: string | null }; isPlaceholderData: boolean },
) {
  const pageNumber = params.cursor ? params.trail.length + 2 : 1;
  // While a page loads, the previous one is still shown (placeholder data): ignore clicks until it arrives.
  const canGoNext = !!page.data?.next_cursor && !page.isPlaceholderData;
  const canGoPrevious = pageNumber > 1 && !page.isPlaceholderData;
  const goNext = () => {
    if (!canGoNext || !page.data?.next_cursor) return;
    update({
      cursor: page.data.next_cursor,
      trail: params.cursor ? [...params.trail, params.cursor] : [],
    });
  };
  const goPrevious = () => {
    if (!canGoPrevious) return;
    const trail = [...params.trail];
    const cursor = trail.pop() ?? "";
    update({ cursor, trail });
  };
  return { pageNumber, canGoNext, canGoPrevious, goNext, goPrevious };
}

export function ServicesPager({
  pager,
  shown,
  lastPage,
}: {
  pager: ReturnType<typeof useServicesPager>;
  /** How many services this page shows. */
  shown: number;
  lastPage: boolean;
}) {
  const { pageNumber } = pager;
  return (
    <nav
      aria-label="Services pages"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-border px-4 py-3 text-sm"
    >
      <p id="services-page-summary" className="text-fg-muted">
        Page {pageNumber}
        {shown > 0 ? (
          <>
            {" "}
            · services {((pageNumber - 1) * SERVICES_PAGE_SIZE + 1).toLocaleString()}–
            {((pageNumber - 1) * SERVICES_PAGE_SIZE + shown).toLocaleString()}
          </>
        ) : null}
        {lastPage ? " · last page" : null}
      </p>
      <div className="flex gap-2">
        {/* aria-disabled, not disabled: the button keeps focus on the last page, so keyboard users are not thrown out. */}
        <Button
          size="sm"
          className={PAGER}
          onClick={pager.goPrevious}
          aria-disabled={!pager.canGoPrevious}
        >
          Previous page
        </Button>
        <Button size="sm" className={PAGER} onClick={pager.goNext} aria-disabled={!pager.canGoNext}>
          Next page
        </Button>
      </div>
    </nav>
  );
}
