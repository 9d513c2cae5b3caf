// The identifier rule of every path segment and id field, without zod, so client code can share it cheaply.
export const ID_REGEX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
