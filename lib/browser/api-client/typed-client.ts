// The console's typed client: openapi-fetch over the generated /v2 types (lib/client/api-schema.d.ts), so a
// server schema change is a type error here. Same origin with the session cookie; a refused call
// throws the same ApiClientError (the error envelope), a call with no answer the same "could not reach".
import createClient from "openapi-fetch";
import type { paths } from "@/lib/client/api-schema";
import { encodeChangeReason } from "@/lib/shared/reason-header";
import { refusal, searchOf, unreachable, type ApiResult } from "./api-fetch";

async function consoleFetch(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    throw unreachable(error);
  }
}

export const api = createClient<paths, "application/json">({
  baseUrl: "",
  credentials: "same-origin",
  headers: { accept: "application/json" },
  fetch: consoleFetch,
  // As withQuery: empty values left out (an empty filter is no filter), arrays as repeated names.
  querySerializer: (query) => searchOf(query),
});

/** The data of an answer with its ETag; a refusal (any status but 2xx) throws an ApiClientError. */
export function resultOf<T>(answer: {
  data?: T;
  error?: unknown;
  response: Response;
}): ApiResult<T> {
  const { response } = answer;
  if (!response.ok) throw refusal(response.status, answer.error);
  return { data: answer.data as T, etag: response.headers.get("etag"), status: response.status };
}

/** The data of an answer; a refusal throws an ApiClientError. */
export const dataOf = <T>(answer: { data?: T; error?: unknown; response: Response }): T =>
  resultOf(answer).data;

/** The headers of a write: If-Match (the ETag the change is based on) and the person's reason. */
export function writeHeaders({
  ifMatch,
  reason,
}: {
  ifMatch?: string | null;
  reason?: string | null;
}): { "If-Match"?: string; "X-Change-Reason"?: string } {
  return {
    ...(ifMatch ? { "If-Match": ifMatch } : {}),
    ...(reason?.trim() ? { "X-Change-Reason": encodeChangeReason(reason.trim()) } : {}),
  };
}
