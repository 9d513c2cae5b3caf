// Shared pieces of the request and response schemas (the one source of truth for validation and OpenAPI).
import { z } from "zod";

import { ID_REGEX, ID_RULE } from "./id";

export const identifier = (description: string) =>
  z.string().regex(ID_REGEX, `use ${ID_RULE}`).meta({ description });

/**
 * A sign-in email as this console issues them: the first admin is `admin@localhost`, and intranet addresses
 * such as `ops@intranet` have no dot in the domain. So: one `@`, something on both sides, no spaces. The sign-in
 * form and the people API share this rule, so a form is never stricter than the server.
 */
export const EMAIL_REGEX = /^[^\s@]+@[^\s@]+$/;
export const emailAddress = z
  .string()
  .trim()
  .min(1, "Enter an email address")
  .max(320, "An email address has at most 320 characters")
  .regex(EMAIL_REGEX, "Enter an email address like name@example.com or admin@localhost");

export const jsonObject = z.record(z.string(), z.unknown());
export const isoDateTime = z.iso.datetime({ offset: true });

const validationIssue = z.object({ path: z.string(), message: z.string() });
/** One problem with a request, named by where it is (a body path, a query or path parameter). */
export type ValidationIssue = z.infer<typeof validationIssue>;

export const errorSchema = z
  .object({
    success: z.literal(false),
    message: z.string().meta({ description: "Human-readable error message" }),
    issues: z.array(validationIssue).optional(),
  })
  .meta({ id: "Error" });

export const paginationQuery = z.object({
  cursor: z
    .string()
    .max(512)
    .optional()
    .meta({ description: "Opaque cursor from a previous page's next_cursor" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });
/** A whole list (no pagination): people, tokens, webhooks, deliveries, a domain's assignment keys. */
export const list = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item) }).meta({ id });

/** A page of a cursor-paginated list, as `page(item)` describes it. */
export type Page<T> = { items: T[]; next_cursor: string | null };

const booleanQuery = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

export const dryRunQuery = z.object({
  dry_run: booleanQuery
    .optional()
    .meta({ description: "Run every check and answer what the call would, writing nothing" }),
});
