// The committed copy of the OpenAPI document (openapi.snapshot.json), formatted with the repo's Prettier config.
// snapshot.test.ts rebuilds the document from the operations and compares it byte for byte with this copy, so any
// change to what the API documents is deliberate: `npm run openapi:snapshot` writes the new copy.
import "server-only";
import path from "node:path";
import * as prettier from "prettier";

export const SNAPSHOT_FILE = path.resolve(import.meta.dirname, "openapi.snapshot.json");

export async function formatSnapshot(document: unknown): Promise<string> {
  const config = (await prettier.resolveConfig(SNAPSHOT_FILE)) ?? {};
  return prettier.format(JSON.stringify(document), { ...config, filepath: SNAPSHOT_FILE });
}
