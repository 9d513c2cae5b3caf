// Runs INSIDE an earlier version's source tree (copied there by scripts/upgrade-fixtures/build.mjs), with that
// version's own code: its route handlers (called in-process through its own tests/helpers/api.ts, as its API tests
// did), its migrations and seed. Writes what a team would have written (revisions, the domain move to a version
// with a new required feature and the service patches it needs, a service override, a restore-like move back) with
// the token its `npm run token` minted, then prints the answers of some reads as JSON: the migration tests
// compare today's answers for the same reads with them.
//
// Only the /v2 API is used, so this one script runs against every version since 0.1.0.
import { call } from "@/tests/helpers/api";

type Opened = { getDatabase: () => Promise<{ close: () => Promise<void> }> };

const token = process.env.FIXTURE_TOKEN;
if (!token) throw new Error("FIXTURE_TOKEN is not set");

const DOMAIN = "/v2/clients/client-1/domains/south_australia";
const DEFAULT = `${DOMAIN}/assignments/default`;
const OVERRIDE = `${DOMAIN}/service/service-1/assignments/default`;

const ROLLING = process.env.FIXTURE_PHASE === "rolling";

async function write(method: string, url: string, body: unknown, expected: number[]) {
  const reason = ROLLING ? "during the rolling upgrade" : "fixture";
  const res = await call(method, url, { token, body, headers: { "x-change-reason": reason } });
  if (!expected.includes(res.status))
    throw new Error(`${method} ${url} answered ${res.status}: ${res.text}`);
  return res;
}

if (ROLLING) {
  // The previous version, still serving beside an upgraded instance: a domain move back and a new key.
  await write("PUT", DEFAULT, { model_id: "example-model", model_version: "1.0.0" }, [200]);
  await write(
    "PUT",
    `${DOMAIN}/assignments/rolling`,
    { model_id: "eta-model", model_version: "1.0.0" },
    [200, 201],
  );
} else {
  // Revision 1 of the domain default (the demo's is 1.0.0 already on some versions: a no-op there is fine).
  await write("PUT", DEFAULT, { model_id: "example-model", model_version: "1.0.0" }, [200, 201]);
  // The domain move: 2.0.0 requires `route`, which three services lack; filled in in the same write.
  await write(
    "PUT",
    DEFAULT,
    {
      model_id: "example-model",
      model_version: "2.0.0",
      service_updates: [
        { service_id: "svc-001", static_features: { route: "route-a" } },
        { service_id: "svc-003", static_features: { route: "route-c" } },
        { service_id: "svc-006", static_features: { route: "route-f", night_service: true } },
      ],
    },
    [200, 201],
  );
  // A service that keeps the old version for now.
  await write("PUT", OVERRIDE, { model_id: "example-model", model_version: "1.0.0" }, [200, 201]);
  // Another key, moved twice: two revisions, one archived.
  await write(
    "PUT",
    `${DOMAIN}/assignments/night`,
    { model_id: "eta-model", model_version: "1.0.0" },
    [200, 201],
  );
  await write(
    "PUT",
    `${DOMAIN}/assignments/night`,
    { model_id: "example-model", model_version: "1.0.0" },
    [200, 201],
  );
}

// What this version answers; the migration tests expect the same from today's code (new fields may be added).
const READS = [
  DEFAULT,
  `${DEFAULT}/revisions`,
  `${DOMAIN}/assignments/night`,
  `${DOMAIN}/assignments/night/revisions`,
  OVERRIDE,
  `${DOMAIN}/service/svc-001`,
  `${DOMAIN}/service/svc-006`,
  `${DOMAIN}/service/service-1/assignments/default/effective`,
  ...(ROLLING ? [`${DOMAIN}/assignments/rolling`] : []),
];
const reads: Record<string, unknown> = {};
for (const url of READS) {
  const res = await call("GET", url, { token });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.text}`);
  reads[url] = res.body;
}

// Close the database cleanly (the embedded one is copied from its folder afterwards).
const opened = (await import("@/lib/server/database").catch(
  () => import("@/db/client" as string),
)) as Opened;
await (await opened.getDatabase()).close();
process.stdout.write(`\nFIXTURE-READS ${JSON.stringify(reads)}\n`);
