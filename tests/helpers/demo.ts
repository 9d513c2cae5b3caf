// Shared pieces of the API integration tests: a cheap reset to the demo data between tests (a fresh PGlite
// costs seconds; truncating and reseeding costs milliseconds), and the common request bodies.
import { expect } from "vitest";
import { seedDemoData } from "@/db/seed";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { forgetCachedAnswers } from "@/lib/server/http/conditional";
import { TEST_TOKEN_CREATOR, type ApiResponse } from "./api";
import type { TestDatabase } from "./test-database";

const TABLES = [
  "webhook_deliveries",
  "webhook_cursors",
  "webhooks",
  "changes",
  "observations",
  "domain_change_heads",
  "audit_log",
  "assignments",
  "rollout_waves",
  "rollouts",
  "change_request_reviews",
  "change_requests",
  "services",
  "model_versions",
  "models",
  "domains",
  "clients",
  "app_meta",
];

/**
 * `truncate <tables>` where the tables include audit_log, which refuses TRUNCATE (it is append-only): the tests,
 * as the table's owner, lift that for the truncate and put it back at once.
 */
export async function truncateWithAuditLog(tdb: TestDatabase, tables: string): Promise<void> {
  await tdb.database.query(`alter table audit_log disable trigger audit_log_no_truncate`);
  try {
    await tdb.database.query(`truncate ${tables}`);
  } finally {
    await tdb.database.query(`alter table audit_log enable trigger audit_log_no_truncate`);
  }
}

/** Puts the database back to a freshly seeded demo, so each test starts from the same state. */
export async function resetDemo(tdb: TestDatabase): Promise<void> {
  // The audit log refuses TRUNCATE (it is append-only); the tests, as the table's owner, lift that for the reset.
  await truncateWithAuditLog(tdb, `${TABLES.join(", ")} restart identity cascade`);
  // The helper's setup tokens (made in beforeAll) outlive a reset; every other token goes.
  await tdb.database.query(`delete from api_tokens where created_by <> $1`, [TEST_TOKEN_CREATOR]);
  await seedDemoData(tdb.database.db);
  forgetRevocationCache();
  forgetCachedAnswers(tdb.database);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const CLIENT = "/v2/clients/client-1";
export const DOMAIN = `${CLIENT}/domains/south_australia`;
export const service = (id: string) => `${DOMAIN}/service/${id}`;
export const serviceAssignment = (id: string, key = "default") =>
  `${service(id)}/assignments/${key}`;

export const V1 = { model_id: "example-model", model_version: "1.0.0" } as const;
export const V2 = { model_id: "example-model", model_version: "2.0.0" } as const;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every error is the one envelope: success false, a message, nothing that looks like a stack trace. */
export function expectError(res: ApiResponse, status: number, message?: RegExp): void {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { success: false, message: expect.any(String) },
  });
  if (message) expect(res.body.message).toMatch(message);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.text).not.toMatch(/\n\s+at |<html/i);
}
