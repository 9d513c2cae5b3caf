"use client";
// Keeps keyboard focus (and the caret) on an input that React re-mounts elsewhere in the same container: a
// service moving from "blocking" to "fixed" while the person is typing in it must not throw their cursor away.
import { useLayoutEffect, useRef, type RefObject } from "react";

type Remembered = { id: string; start: number | null; end: number | null };

function selectionOf(el: Element): Pick<Remembered, "start" | "end"> {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    try {
      return { start: el.selectionStart, end: el.selectionEnd };
    } catch {
      return { start: null, end: null };
    }
  }
  return { start: null, end: null };
}

export function useKeepFocus(container: RefObject<HTMLElement | null>): void {
  const remembered = useRef<Remembered | null>(null);

  useLayoutEffect(() => {
    const root = container.current;
    if (!root) return;
    const remember = (event: Event) => {
      const el = event.target as Element;
      if (el.id && root.contains(el)) remembered.current = { id: el.id, ...selectionOf(el) };
    };
    const forget = (event: FocusEvent) => {
      const el = event.target as Element;
      const next = event.relatedTarget as Node | null;
      if (next && root.contains(next)) return;
      // Chrome blurs an element while React is removing it, before it is detached; decide once the commit is
      // over: a removed element lost focus without the person moving it, so keep it for the re-mounted one.
      setTimeout(() => {
        if (
          el.isConnected &&
          remembered.current?.id === el.id &&
          !root.contains(document.activeElement)
        )
          remembered.current = null;
      }, 0);
    };
    root.addEventListener("focusin", remember);
    root.addEventListener("input", remember);
    root.addEventListener("keyup", remember);
    root.addEventListener("focusout", forget);
    return () => {
      root.removeEventListener("focusin", remember);
      root.removeEventListener("input", remember);
      root.removeEventListener("keyup", remember);
      root.removeEventListener("focusout", forget);
    };
  }, [container]);

  // After every commit: if focus fell to the body and the remembered input exists again, put the person back.
  useLayoutEffect(() => {
    const target = remembered.current;
    if (!target) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const el = document.getElementById(target.id);
    if (!el || !container.current?.contains(el)) return;
    el.focus({ preventScroll: true });
    if (
      (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) &&
      target.start !== null
    ) {
      try {
        el.setSelectionRange(target.start, target.end ?? target.start);
      } catch {
        // number inputs have no selection API
      }
    }
  });
}
