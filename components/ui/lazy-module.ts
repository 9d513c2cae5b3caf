"use client";
// Code a page needs only sometimes (a confirmation, the inputs for blocking services), fetched the first time it
// is wanted or earlier on a hint (preload), then rendered at once. Plain import() and state: no Suspense
// fallback, and none of next/dynamic's machinery (~1.3 kB gzip) on the page that uses it.
import { useEffect, useState } from "react";

export function lazyModule<T>(load: () => Promise<T>) {
  let pending: Promise<T> | null = null;
  let loaded: T | null = null;

  /** Starts fetching the module, once (again after a failure). */
  function preload(): Promise<T> {
    pending ??= load().then(
      (m) => (loaded = m),
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  }

  /** The module once `wanted` (fetched then if it wasn't yet), or why fetching it failed. */
  function useModule(wanted: boolean): { module: T | null; failed: Error | null } {
    const [module, setModule] = useState<T | null>(loaded);
    const [failed, setFailed] = useState<Error | null>(null);
    useEffect(() => {
      if (module || !wanted) return;
      let live = true;
      preload().then(
        (m) => live && setModule(m),
        (error: Error) => live && setFailed(error),
      );
      return () => {
        live = false;
      };
    }, [wanted, module]);
    return { module: module ?? loaded, failed };
  }

  return { preload, useModule };
}
