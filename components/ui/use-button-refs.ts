"use client";
// Buttons by key (one per row of a list), to give focus back to the one that opened something once it closes.
// The answer is the same object on every render, so it can be a dependency of effects and callbacks.
import { useState } from "react";

export function useButtonRefs() {
  const [buttons] = useState(() => {
    const byKey = new Map<string, HTMLButtonElement>();
    return {
      /** The `ref` of the button for `key`. */
      refFor: (key: string) => (el: HTMLButtonElement | null) => {
        if (el) byKey.set(key, el);
        else byKey.delete(key);
      },
      get: (key: string) => byKey.get(key),
      has: (key: string) => byKey.has(key),
    };
  });
  return buttons;
}
