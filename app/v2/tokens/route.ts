// GET, POST /v2/tokens: machine tokens made from the console (admins only; never the JWT itself); POST makes one
// and answers its JWT this once.
import { routeOf } from "@/lib/server/http/operation";
import { createApiToken, listApiTokens } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listApiTokens,
  createApiToken,
);
