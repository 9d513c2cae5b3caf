// The product's version, one truth: package.json's `version` (semantic versioning; see CHANGELOG.md and
// docs/decisions/025-versions-and-upgrades.md). The API's major version is its path, /v2: within /v2 changes are
// additive, and a change that breaks callers would get a new path.
import packageJson from "@/package.json";

/** The app's semantic version, as package.json says it. */
export const APP_VERSION: string = packageJson.version;

/** The API's major version: the path prefix every route is served under. */
export const API_VERSION = "v2";
