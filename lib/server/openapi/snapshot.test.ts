// The OpenAPI document built from the operations is byte-identical to the committed copy: a change to a route's
// schemas, scope, responses or wording shows here, and is committed on purpose with the regenerated copy.
import fs from "node:fs";
import { expect, it } from "vitest";
import { buildOpenApiDocument } from "./document";
import { formatSnapshot, SNAPSHOT_FILE } from "./snapshot";

it("matches the committed openapi.snapshot.json", async () => {
  const built = await formatSnapshot(buildOpenApiDocument());
  const stored = fs.readFileSync(SNAPSHOT_FILE, "utf8");
  expect(
    built === stored,
    "The OpenAPI document differs from lib/server/openapi/openapi.snapshot.json: regenerate with npm run openapi:snapshot if the change is intended",
  ).toBe(true);
});
