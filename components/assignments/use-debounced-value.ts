"use client";
import { useEffect, useMemo, useState } from "react";

/** The value as it was `delay` ms after it last changed (compared by JSON, so a rebuilt object is no change). */
export function useDebouncedValue<T>(value: T, delay = 300): T {
  const serialized = JSON.stringify(value) ?? "null";
  const [settled, setSettled] = useState(serialized);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(serialized), delay);
    return () => clearTimeout(timer);
  }, [serialized, delay]);
  return useMemo(() => JSON.parse(settled) as T, [settled]);
}
