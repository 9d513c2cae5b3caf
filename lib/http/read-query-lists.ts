// Query strings with repeatable parameters (?feature=a=1&feature=b=2): readQuery keeps only the last value
// of a name, so routes with list parameters read them here.
import type { z } from "zod";
import { badRequest } from "./errors";
import { zodIssues, type RouteContext } from "./route";

/** Validates the query string against a schema; the names in `lists` are passed as arrays of every value. */
export function readQueryWithLists<S extends z.ZodType>(ctx: RouteContext, schema: S, lists: readonly string[]): z.infer<S> {
  const raw: Record<string, string | string[]> = {};
  for (const [key, value] of ctx.url.searchParams) {
    if (!lists.includes(key)) raw[key] = value;
  }
  for (const key of lists) {
    const values = ctx.url.searchParams.getAll(key);
    if (values.length > 0) raw[key] = values;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
    throw badRequest(`Invalid query parameter: ${shown.join("; ")}${issues.length > 5 ? `; and ${issues.length - 5} more` : ""}`, issues);
  }
  return parsed.data;
}
