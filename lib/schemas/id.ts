// The identifier rule of every path segment and id field, without zod, so client code can share it cheaply:
// the zod schemas (`identifier`), the route wrapper's path-parameter check and the console's forms all use it.
export const ID_REGEX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The rule in words, for error messages ("use …", "Use …"). */
export const ID_RULE = "1-128 letters, digits, '.', '_' or '-', starting with a letter or digit";

/** A UUID as path parameters carry them (any version, either case). */
export const UUID_REGEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
