// `npm run client:generate`: regenerates lib/client/api-schema.d.ts from the OpenAPI document the app serves.
import fs from "node:fs";
import { generateClientSchema, SCHEMA_FILE } from "@/lib/client/generate";
import { buildOpenApiDocument } from "@/lib/server/openapi/document";

const source = await generateClientSchema(buildOpenApiDocument());
fs.writeFileSync(SCHEMA_FILE, source);
console.log(`wrote ${SCHEMA_FILE}`);
