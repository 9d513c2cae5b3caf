import { describe, expect, it } from "vitest";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import { assignmentPutBody } from "@/lib/schemas/assignments";
import {
  baseFromResult,
  baseOf,
  contentOf,
  draftBody,
  outcomeOf,
  restoreBody,
  retireBody,
  routeFailure,
} from "./assignment-draft";

/** What the revision runs: the part a draft sends again. */
const content = {
  model_id: "example-model",
  model_version: "1.0.0",
  role: "ranker",
  settings: { threshold: 0.5 },
  metadata: { seeded: true },
};

const revision = {
  ...content,
  assignment_id: "0b6f1a52-7d1e-4f43-9a8e-2f8c1b0a9e11",
  client_id: "acme",
  domain_id: "sa",
  service_id: null,
  assignment_key: "ranking",
  revision: 3,
  status: "archived",
  created_by: "ada",
  change_reason: null,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  restored_from_revision: null,
  pinned_by: null,
} satisfies Assignment;

const updates = [{ service_id: "svc-001", static_features: { region: "eu" } }];

describe("draftBody", () => {
  it("sends the content, the status and the service updates the server validates", () => {
    const body = draftBody({ content: contentOf(revision), status: "active", updates });
    expect(contentOf(revision)).toEqual(content);
    expect(body).toEqual({ ...content, status: "active", service_updates: updates });
    expect(assignmentPutBody.safeParse(body).success).toBe(true);
  });

  it("leaves out what the draft does not say: no status, no empty service_updates, no restore marker", () => {
    const body = draftBody({ content: { model_id: "m", model_version: "2.0.0" }, updates: [] });
    expect(body).toEqual({ model_id: "m", model_version: "2.0.0" });
    expect(assignmentPutBody.safeParse(body).success).toBe(true);
  });

  it("restores a revision's content as active, marked as restored from it", () => {
    expect(restoreBody(revision)).toEqual({
      ...contentOf(revision),
      status: "active",
      restored_from_revision: 3,
    });
  });

  it("retires by saving what runs now, archived", () => {
    expect(retireBody(revision)).toEqual({ ...contentOf(revision), status: "archived" });
    expect(retireBody(revision)).not.toHaveProperty("restored_from_revision");
  });
});

describe("the base of a draft", () => {
  it("is guarded by the revision's ETag: its id, quoted (as the server sends it)", () => {
    expect(baseOf(revision)).toEqual({ data: revision, etag: `"${revision.assignment_id}"` });
  });

  it("keeps the ETag a read answered with, and is null when the key has no active revision", () => {
    expect(baseFromResult({ data: revision, etag: '"x"', status: 200 })).toEqual({
      data: revision,
      etag: '"x"',
    });
    expect(baseFromResult(null)).toBeNull();
    expect(baseFromResult(undefined)).toBeNull();
  });

  it("an answer that is the base itself saved nothing", () => {
    expect(outcomeOf(baseOf(revision), revision)).toEqual({ kind: "unchanged", row: revision });
    const next = { ...revision, assignment_id: "other", revision: 4 };
    expect(outcomeOf(baseOf(revision), next)).toEqual({ kind: "saved", row: next });
    expect(outcomeOf(null, revision)).toEqual({ kind: "saved", row: revision });
  });
});

describe("routeFailure", () => {
  const blocking = [{ service_id: "svc-001", missing: ["region"], invalid: [] }];

  it("412 is a change made meanwhile, 409 a key created meanwhile", () => {
    expect(routeFailure(new ApiClientError(412, "changed"))).toMatchObject({
      kind: "conflict",
      conflict: "changed",
      status: 412,
      message: "changed",
    });
    expect(routeFailure(new ApiClientError(409, "exists"))).toMatchObject({
      kind: "conflict",
      conflict: "created",
      status: 409,
    });
  });

  it("a 422 naming blocking services is a refusal about them", () => {
    const error = new ApiClientError(422, "incompatible", { blocking_services: blocking });
    expect(routeFailure(error)).toEqual({
      kind: "blocked",
      blocking,
      status: 422,
      message: "incompatible",
      error,
    });
  });

  it("any other answer keeps the fields the server named", () => {
    const issues = [{ path: "role", message: "too long" }];
    expect(routeFailure(new ApiClientError(422, "invalid", { issues }))).toMatchObject({
      kind: "refused",
      issues,
      status: 422,
    });
    expect(routeFailure(new ApiClientError(403, "no"))).toMatchObject({
      kind: "refused",
      issues: [],
      status: 403,
    });
  });

  it("no answer, or an error that is not the server's, fails with its message", () => {
    expect(routeFailure(new ApiClientError(0, "offline"))).toMatchObject({
      kind: "failed",
      status: 0,
      message: "offline",
    });
    expect(routeFailure(new Error("boom"))).toMatchObject({
      kind: "failed",
      status: 0,
      message: "boom",
    });
  });
});
