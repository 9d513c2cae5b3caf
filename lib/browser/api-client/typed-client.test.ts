import { describe, expect, it } from "vitest";
import { ApiClientError } from "./api-fetch";
import { resultOf, writeHeaders } from "./typed-client";

const answer = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });

describe("resultOf", () => {
  it("keeps the data, the ETag and the status of an answer", () => {
    expect(resultOf({ data: { a: 1 }, response: answer(200, { etag: '"x"' }) })).toEqual({
      data: { a: 1 },
      etag: '"x"',
      status: 200,
    });
  });

  it("throws the error envelope of a refusal as an ApiClientError", () => {
    const error = {
      message: "incompatible",
      blocking_services: [{ service_id: "svc-001", missing: ["route"], invalid: [] }],
      issues: [{ path: "role", message: "too long" }],
    };
    let thrown: unknown;
    try {
      resultOf({ error, response: answer(422) });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApiClientError);
    const apiError = thrown as ApiClientError;
    expect(apiError.status).toBe(422);
    expect(apiError.message).toBe("incompatible");
    expect(apiError.blockingServices).toEqual(error.blocking_services);
    expect(apiError.issueFor("role")).toBe("too long");
  });

  it("names the status when the refusal has no envelope", () => {
    expect(() => resultOf({ error: "", response: answer(502) })).toThrow("The server answered 502");
  });
});

describe("writeHeaders", () => {
  it("sends If-Match and the reason (trimmed, encoded) only when given", () => {
    expect(writeHeaders({})).toEqual({});
    expect(writeHeaders({ ifMatch: null, reason: "  " })).toEqual({});
    expect(writeHeaders({ ifMatch: '"id"', reason: " Ticket OPS-1: ünïcode " })).toEqual({
      "If-Match": '"id"',
      "X-Change-Reason": "Ticket OPS-1: %C3%BCn%C3%AFcode",
    });
  });
});
