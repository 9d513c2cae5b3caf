// Answers whose body the production server's /v2 fast path takes as it is, beside the Response, instead of from
// the Response's body stream. A `Response` made from a string or bytes builds a ReadableStream (with its byte
// controller and the transferable wrapper Node gives every stream) on construction: on a cached read that was a
// tenth of the request's CPU, for a stream nobody reads (the fast path sends the bytes it was made from).
// scripts/v2-fast-path.mjs marks each request it answers (the request context's `answerBodies`); only then is the
// body kept aside and the Response made without one. Anywhere else (Next's pipeline with V2_VIA_NEXT=1, `next dev`,
// tests calling handlers directly, pages) the Response carries its body as usual. docs/decisions/125-answer-bodies-beside-the-response.md.
// The other way, a request's small body the fast path read before calling the handler is kept beside its Request
// (the request context's `requestBodies`), and the handler's body reader takes it from there: decision 129.
import "server-only";
import { currentRequest } from "@/lib/server/observability/request-context";

type AnswerBodies = WeakMap<Response, string | Uint8Array>;

function answerBodies(): AnswerBodies | undefined {
  return (currentRequest() as { answerBodies?: AnswerBodies } | undefined)?.answerBodies;
}

/** `new Response(body, init)`, or on the fast path the same Response without a body stream, its body kept aside. */
export function bodyResponse(body: string | Uint8Array, init: ResponseInit): Response {
  const aside = answerBodies();
  if (!aside) return new Response(typeof body === "string" ? body : new Uint8Array(body), init);
  const response = new Response(null, init);
  aside.set(response, body);
  return response;
}

/** A copy of `response` (status, headers) with the same body, wherever that body is kept. */
export function copyResponse(response: Response): Response {
  const aside = answerBodies();
  const kept = aside?.get(response);
  if (kept === undefined) return new Response(response.body, response);
  const copy = new Response(null, response);
  aside!.set(copy, kept);
  return copy;
}

type RequestBodies = WeakMap<Request, Uint8Array>;

/**
 * The body of `request` if the fast path read it before calling the handler (the Request then has none), else
 * undefined: read the Request's body.
 */
export function requestBodyAside(request: Request): Uint8Array | undefined {
  return (currentRequest() as { requestBodies?: RequestBodies } | undefined)?.requestBodies?.get(
    request,
  );
}
