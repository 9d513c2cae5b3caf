// model_console_services_sync{state} in /metrics: services per sync state over every client, domain and key, read
// at scrape time; the same numbers as the status route's counts summed over every target (docs/observed-state.md).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SYNC_STATES, type SyncState } from "@/lib/features/sync-state";
import { advanceClock, resetClock } from "@/lib/server/clock";
import { getMetrics } from "@/lib/server/observability/metrics.mjs";
import { readSyncStatus } from "@/lib/server/observations/sync-status";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { resetDemo, service, serviceAssignment, V2 } from "../helpers/demo";
import { loggingDatabase } from "../helpers/statement-log";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";
import { countServicesBySync } from "@/lib/server/observations/sync-metrics";

/** The gauge's samples in the Prometheus text /metrics answers, by state. */
async function scrape(): Promise<Record<string, number>> {
  const text = await getMetrics().registry.metrics();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^model_console_services_sync\{state="(\w+)"\} (\d+)$/gm))
    out[m[1]!] = Number(m[2]);
  return out;
}

describe.each(DRIVERS)("services per sync state in /metrics on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let reporter: string;
  let v1Hash: string;
  let defaultId: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    reporter = await token({
      sub: "fleet-reporter",
      scopes: ["observations:write"],
      clients: ["client-1"],
    });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    v1Hash = (
      await call<{ contract_hash: string }>("GET", "/v2/models/example-model/versions/1.0.0", {
        token: admin,
      })
    ).body.contract_hash;
    defaultId = (await call<{ assignment_id: string }>("GET", DOMAIN_DEFAULT, { token: admin }))
      .body.assignment_id;
  });
  afterEach(() => resetClock());

  const report = (serviceId: string, body: Record<string, unknown>) =>
    call("PUT", `${service(serviceId)}/observed/default`, { token: reporter, body });
  const v1Report = (state = "loaded") => ({
    assignment_id: defaultId,
    model_id: "example-model",
    model_version: "1.0.0",
    contract_hash: v1Hash,
    state,
  });

  /** The status route's counts summed over every (client, domain, key) that has an assignment or a report. */
  async function statusTotals(): Promise<Record<SyncState, number>> {
    const targets = await tdb.database.query<{ client_id: string; domain_id: string; k: string }>(
      `select client_id, domain_id, assignment_key as k from assignments where status = 'active'
       union select client_id, domain_id, assignment_key from observations`,
    );
    const statuses = await readSyncStatus(
      tdb.database,
      targets.map((t) => ({ clientId: t.client_id, domainId: t.domain_id, key: t.k })),
    );
    const totals = Object.fromEntries(SYNC_STATES.map((s) => [s, 0])) as Record<SyncState, number>;
    for (const t of statuses) for (const s of SYNC_STATES) totals[s] += t.counts[s];
    return totals;
  }

  it("shows every state, without client or service labels, as the status route counts them (the demo)", async () => {
    const text = await getMetrics().registry.metrics();
    expect(text).toContain("# TYPE model_console_services_sync gauge");
    const lines = text.split("\n").filter((l) => l.startsWith("model_console_services_sync"));
    expect(lines).toHaveLength(SYNC_STATES.length);
    for (const l of lines) expect(l).toMatch(/^model_console_services_sync\{state="\w+"\} \d+$/);
    const counts = await scrape();
    expect(counts).toEqual(await statusTotals());
    // The demo's reports: one service in each of these states.
    expect(counts.synced).toBeGreaterThanOrEqual(1);
    expect(counts.out_of_sync).toBeGreaterThanOrEqual(1);
    expect(counts.contract_mismatch).toBeGreaterThanOrEqual(1);
    expect(counts.failed).toBeGreaterThanOrEqual(1);
    expect(counts.unknown).toBeGreaterThanOrEqual(1);
  });

  it("follows reports, a move of what should run, and staleness (without any write)", async () => {
    const before = await scrape();
    // svc-005 never reported (unknown) → synced; svc-004 unknown → failed.
    expect((await report("svc-005", v1Report())).status).toBe(200);
    expect((await report("svc-004", v1Report("failed"))).status).toBe(200);
    const reported = await scrape();
    expect(reported).toEqual({
      ...before,
      synced: before.synced! + 1,
      failed: before.failed! + 1,
      unknown: before.unknown! - 2,
    });
    expect(reported).toEqual(await statusTotals());

    // svc-005 is moved to 2.0.0 by its own assignment: out of sync at once, no report needed.
    const moved = await call("PUT", serviceAssignment("svc-005"), { token: admin, body: V2 });
    expect(moved.status).toBe(200);
    const afterMove = await scrape();
    expect(afterMove).toEqual({
      ...reported,
      synced: reported.synced! - 1,
      out_of_sync: reported.out_of_sync! + 1,
    });
    expect(afterMove).toEqual(await statusTotals());

    // Past every client's stale_after (client-1 keeps the demo's reports for a day), every report is unknown.
    advanceClock(25 * 3600_000);
    const stale = await scrape();
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(stale).toEqual({
      synced: 0,
      out_of_sync: 0,
      contract_mismatch: 0,
      failed: 0,
      unknown: total(afterMove),
    });
    expect(stale).toEqual(await statusTotals());
  });

  it("counts with one statement, whatever the number of services", async () => {
    const statements: string[] = [];
    const counts = await countServicesBySync(
      loggingDatabase(tdb.database, (text) => statements.push(text)),
    );
    expect(statements).toHaveLength(1);
    expect(counts).toEqual(await scrape());
  });
});
