"use client";
// A change asked about in a ConfirmDialog, with its reason: what the dialog asks about (null while closed), why
// the last try failed (in the server's words, shown in the dialog) and the reason's field. `confirm(run)` checks
// the reason, runs the change and, when it succeeds, forgets the reason and closes.
import { useState } from "react";
import { messageOf } from "@/components/ui/server-errors";
import { useChangeReason } from "./reason-field";

export function useConfirmWithReason<T>(reasonId: string, required = false) {
  const changeReason = useChangeReason(reasonId, required);
  const [asking, setAsking] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Opens the dialog about `subject`, without the last try's error. */
  const ask = (subject: T) => {
    setError(null);
    setAsking(subject);
  };
  /** Closes the dialog (Cancel, Esc, a click outside). */
  const dismiss = () => {
    setAsking(null);
    setError(null);
  };
  const confirm = async (run: (subject: T, reason: string) => Promise<void>) => {
    if (asking === null) return;
    setError(null);
    if (!changeReason.check()) return;
    try {
      await run(asking, changeReason.reason);
      changeReason.reset();
      setAsking(null);
    } catch (error) {
      setError(messageOf(error));
    }
  };

  return { asking, error, ask, dismiss, confirm, reasonField: changeReason.field };
}
