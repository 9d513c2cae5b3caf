// The optional reason a write carries: the X-Change-Reason header, percent-decoded as UTF-8 (a header carries
// Latin-1 at most, so a reason in any other script travels as encodeURIComponent(reason)).
import "server-only";
import { badRequest } from "@/lib/shared/errors";

import { CHANGE_REASON_HEADER, MAX_REASON_CHARS } from "../../shared/reason-header";

export { CHANGE_REASON_HEADER };

// C0 and C1 control characters (tab and newline included: a reason is one line).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Decodes each run of %XX escapes as UTF-8; a "%" not followed by two hex digits stays as it is. */
function percentDecode(value: string): string {
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      throw badRequest(
        `Invalid X-Change-Reason header: "${run}" is not percent-encoded UTF-8; send encodeURIComponent(reason)`,
        [{ path: CHANGE_REASON_HEADER, message: "invalid percent-encoded UTF-8" }],
      );
    }
  });
}

/**
 * The reason of a request: trimmed, at most 500 characters (Unicode code points, not bytes), no control
 * characters; null when absent or blank.
 */
export function parseChangeReason(raw: string | null): string | null {
  if (raw === null) return null;
  if (/[^\x20-\x7e]/.test(raw.replace(/\t/g, " "))) {
    throw badRequest(
      "Invalid X-Change-Reason header: a header carries ASCII only; percent-encode the reason as UTF-8 (encodeURIComponent(reason))",
      [{ path: CHANGE_REASON_HEADER, message: "non-ASCII characters must be percent-encoded" }],
    );
  }
  const reason = percentDecode(raw).trim();
  if (reason === "") return null;
  if (CONTROL.test(reason)) {
    throw badRequest(
      "Invalid X-Change-Reason header: the reason contains a control character (such as a line break); write it on one line",
      [{ path: CHANGE_REASON_HEADER, message: "contains a control character" }],
    );
  }
  const length = [...reason].length;
  if (length > MAX_REASON_CHARS) {
    throw badRequest(
      `Invalid X-Change-Reason header: the reason is ${length} characters long; the limit is ${MAX_REASON_CHARS} characters`,
      [{ path: CHANGE_REASON_HEADER, message: `at most ${MAX_REASON_CHARS} characters` }],
    );
  }
  return reason;
}
