// What the operations share: the path parameters' descriptions, the standard error wording, and the 403s of
// people and tokens.
import "server-only";
import { z } from "zod";
import type { ErrorStatus } from "@/lib/server/http/operation";
import { identifier } from "@/lib/schemas/common";

type PathParam = { schema: z.ZodType; example: string };

/** A path parameter that is an identifier chosen by its owner (a client's, a domain's, a model's…). */
const named = (description: string, example: string): PathParam => ({
  schema: identifier(description),
  example,
});

/** A path parameter that is a UUID the server made. */
const uuid = (description: string, example: string): PathParam => ({
  schema: z.guid().meta({ description }),
  example,
});

export const PATH_PARAMS: Record<string, PathParam> = {
  client_id: named("Tenant identifier.", "client-1"),
  domain_id: named("Domain identifier within a client.", "south_australia"),
  service_id: named("Service identifier within a domain.", "service-1"),
  assignment_key: named("Stable capability key within the domain or service scope.", "default"),
  model_id: named("Model registry identifier.", "example-model"),
  version: named("Model version string within the registry.", "2.0.0"),
  assignment_id: uuid(
    "Unique revision identifier for this assignment row.",
    "3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a",
  ),
  user_id: uuid("A console person's id.", "8d2f4b1a-3c5e-4f7a-9b0c-1e2d3f4a5b6c"),
  token_id: uuid("A machine token's id (its JWT's jti).", "5a7c9e1b-2d4f-4a6b-8c0d-9e1f2a3b4c5d"),
  webhook_id: uuid("A webhook's id.", "0b6e2f4a-8c1d-4e3f-9a5b-7c2d1e0f9a8b"),
  change_request_id: uuid("A change request's id.", "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
  rollout_id: uuid("A rollout's id.", "2a4c6e8f-1b3d-4f5a-8c7e-9d0b2f4a6c8e"),
  delivery_id: uuid(
    "A delivery's id: the idempotency id its attempts carry in `X-Webhook-Id`.",
    "e4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a",
  ),
};

// The seed page's wording, binding for the seed PUT and used wherever the same case arises.
export const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: "Validation error — malformed input, invalid path parameters, or request that fails syntactic validation.",
  401: "Missing or invalid Authorization bearer token, expired token, or token rejected by the authorization layer (e.g. API Gateway JWT authorizer or application validation).",
  403: "Authenticated caller lacks the permission required for this operation.",
  404: "Requested resource was not found.",
  409: "Conflict with the current state of the resource.",
  412: "If-Match does not name the current active revision: the assignment changed since it was read. Nothing was written.",
  413: "Request body too large: the limit is 1 MiB.",
  415: "The request body is not application/json.",
  422: "Semantically invalid request — e.g. domain not active, no model assigned, feature contract mismatch, or invalid feature definitions.",
  429: "Too many failed attempts; the Retry-After header says in how many seconds to try again.",
  503: "Service unavailable; retry later.",
};

// People and tokens are not scoped to clients, so a caller limited to some clients is refused on top of the scope.
export const PEOPLE_403 =
  'Authenticated caller lacks the permission required for this operation: `admin`, and a caller that may touch every client (clients "*").';
export const TOKENS_403 =
  "Authenticated caller lacks the permission required for this operation: `admin`, and a caller limited to some clients may only make or revoke tokens limited to those clients.";
