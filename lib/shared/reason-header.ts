// The X-Change-Reason header's value for a reason someone typed: a header carries ASCII only, so everything
// else (and "%" itself) is percent-encoded as UTF-8, which the server decodes (lib/server/audit/change-reason.ts).
export const CHANGE_REASON_HEADER = "x-change-reason";
export const MAX_REASON_CHARS = 500;

export function encodeChangeReason(reason: string): string {
  return reason.replace(/[^\x20-\x24\x26-\x7e]+/gu, (run) => encodeURIComponent(run));
}

/** Characters as the server counts them (code points, not UTF-16 units or bytes). */
export const reasonLength = (reason: string) => [...reason.trim()].length;
