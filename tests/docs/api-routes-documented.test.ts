// docs/api.md's route table lists every operation (lib/server/operations) and no other: a route
// added without a line in the guide fails here, as one without examples fails lib/server/openapi/completeness.test.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { operations } from "@/lib/server/operations";

const GUIDE = path.resolve(import.meta.dirname, "../../docs/api.md");
// The guide's short names for path parameters.
const SHORT: Record<string, string> = {
  client_id: "c",
  domain_id: "d",
  service_id: "s",
  assignment_key: "k",
  model_id: "m",
  version: "v",
  user_id: "id",
  token_id: "id",
};

function documented(markdown: string): Set<string> {
  const rows = markdown.matchAll(/^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*([^|]+)\|/gm);
  return new Set(
    [...rows].flatMap(([, method, cell]) =>
      [...cell!.matchAll(/`([^`]+)`/g)].map((m) => `${method} ${m[1]!.split("?")[0]}`),
    ),
  );
}

it("docs/api.md lists every route, and only those", () => {
  const inGuide = documented(readFileSync(GUIDE, "utf8"));
  const inCode = new Set(
    operations().map(
      (r) =>
        `${r.method} ${r.path.replace(/\{([^}]+)\}/g, (_, name: string) => `{${SHORT[name] ?? name}}`)}`,
    ),
  );
  expect(
    [...inCode].filter((route) => !inGuide.has(route)),
    "routes missing from the table in docs/api.md",
  ).toEqual([]);
  expect(
    [...inGuide].filter((route) => !inCode.has(route)),
    "rows in docs/api.md for routes that do not exist",
  ).toEqual([]);
});
