import type { ReactNode } from "react";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import { Button } from "./button";
import { messageOf } from "./server-errors";

export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="flex items-center gap-2 p-6 text-sm text-fg-muted"
    >
      <span
        aria-hidden
        className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent"
      />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="p-8 text-center">
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1 text-sm text-fg-muted">{children}</div> : null}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = "Something went wrong",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const message = messageOf(error);
  const notFound = error instanceof ApiClientError && error.status === 404;
  return (
    <div role="alert" className="m-4 rounded-md border border-danger/40 bg-danger-bg p-4 text-sm">
      <p className="font-medium text-danger">{notFound ? "Not found" : title}</p>
      <p className="mt-1 text-fg">{message}</p>
      {onRetry && !notFound ? (
        <Button className="mt-3" size="sm" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/** What QueryState and QueryFallback read of a react-query result. */
export type QueryLike<T> = {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
};

/** A query that has not answered: loading, or its error with a way to ask again. */
export function QueryFallback({
  query,
  loadingLabel,
}: {
  query: QueryLike<unknown>;
  loadingLabel?: string;
}) {
  if (query.isPending) return <LoadingState label={loadingLabel} />;
  return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
}

/** Renders loading / error / content for one query. */
export function QueryState<T>({
  query,
  children,
  loadingLabel,
}: {
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (query.isPending || query.error || query.data === undefined)
    return <QueryFallback query={query} loadingLabel={loadingLabel} />;
  return <>{children(query.data)}</>;
}
