// `npm run openapi:snapshot`: rewrites lib/server/openapi/openapi.snapshot.json from the operations.
import fs from "node:fs";
import { buildOpenApiDocument } from "@/lib/server/openapi/document";
import { formatSnapshot, SNAPSHOT_FILE } from "@/lib/server/openapi/snapshot";

fs.writeFileSync(SNAPSHOT_FILE, await formatSnapshot(buildOpenApiDocument()));
console.log(`wrote ${SNAPSHOT_FILE}`);
