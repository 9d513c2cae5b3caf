// Demo data that makes the seed API page's example meaningful. Seeded once, never over existing data.
import "server-only";
import { canonicalJson, contractHash } from "./contract-hash";
import { createHash, randomUUID } from "node:crypto";
import demoRequest from "./demo-change-request.json";
import { sql } from "drizzle-orm";
import type { Db } from "./types";
import {
  appMeta,
  assignments,
  changeRequests,
  clients,
  domains,
  modelVersions,
  observations,
  models,
  services,
  type FeatureDefinition,
} from "./schema";

const SEEDER = "system:demo-seed";

const exampleModelV1: FeatureDefinition[] = [
  {
    key: "stops",
    type: "integer",
    required: false,
    default: 10,
    description: "How many stops the service plans ahead",
  },
  {
    key: "mode",
    type: "enum",
    required: false,
    allowed_values: ["bus", "tram", "train", "ferry"],
    description: "Transport mode",
  },
];

const exampleModelV2: FeatureDefinition[] = [
  {
    key: "route",
    type: "string",
    required: true,
    description: "The route the service runs; 2.0.0 needs it to learn per-route patterns",
  },
  {
    key: "stops",
    type: "integer",
    required: false,
    default: 10,
    description: "How many stops the service plans ahead",
  },
  {
    key: "mode",
    type: "enum",
    required: true,
    default: "bus",
    allowed_values: ["bus", "tram", "train", "ferry"],
    description: "Transport mode",
  },
  {
    key: "night_service",
    type: "boolean",
    required: false,
    description: "Runs between midnight and 5am",
  },
];

const etaModelV1: FeatureDefinition[] = [
  {
    key: "average_speed_kmh",
    type: "number",
    required: true,
    default: 30,
    description: "Typical speed used as a prior",
  },
  { key: "mode", type: "enum", required: false, allowed_values: ["bus", "tram", "train", "ferry"] },
];

type DemoService = {
  id: string;
  name: string;
  features: Record<string, unknown>;
  status?: "active" | "departed";
};

const southAustraliaServices: DemoService[] = [
  {
    id: "service-1",
    name: "Adelaide Metro North",
    features: { route: "route-b", mode: "bus", stops: 12 },
  },
  { id: "svc-001", name: "Glenelg Tram", features: { mode: "tram" } },
  {
    id: "svc-002",
    name: "Outer Harbor Line",
    features: { route: "route-ohl", mode: "train", stops: 22 },
  },
  { id: "svc-003", name: "O-Bahn Express", features: { mode: "bus", stops: 8 } },
  {
    id: "svc-004",
    name: "City Loop",
    features: { route: "route-99c", mode: "bus", night_service: false },
  },
  {
    id: "svc-005",
    name: "Seaford Line",
    features: { route: "route-sef", mode: "train", stops: 27 },
  },
  {
    id: "svc-006",
    name: "Port Adelaide Connector",
    features: { mode: "bus", stops: 14, night_service: "yes" },
  },
  {
    id: "svc-007",
    name: "Victor Harbor Ferry",
    features: { route: "route-vhf", mode: "ferry", night_service: true },
  },
  { id: "svc-008", name: "Gawler Line", features: { route: "route-gaw", mode: "train" } },
  { id: "svc-009", name: "Belair Line (retired)", features: { mode: "train" }, status: "departed" },
];

/**
 * The domain that shows change requests (journey 12): it requires one approval, and holds request #1, opened by a
 * demo editor and waiting for review. `south_australia` stays writable directly (its README walk-through).
 */
export const DEMO_REVIEW_DOMAIN = "western_australia";
/** Fixed ids: the request's stored impact names the domain default it is based on. */
const WA_DEFAULT_ID = "6f1c1d52-8a3e-4c57-9d0b-2f7e5a1c9b10";
const DEMO_REQUEST_ID = "0b9d7f3e-5c2a-4e81-a6d4-7c3b1e9f2a58";
export const DEMO_REQUEST_AUTHOR = "user:dana@example.com";

const westernAustraliaServices: DemoService[] = [
  {
    id: "wa-101",
    name: "Transperth Ferry",
    features: { route: "route-ferry", mode: "ferry", stops: 2 },
  },
  { id: "wa-102", name: "Joondalup Line", features: { route: "route-jnd", mode: "train" } },
  { id: "wa-103", name: "Airport Line", features: { mode: "train", stops: 6 } },
];

export async function seedDemoData(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    const seeded = await tx
      .select()
      .from(appMeta)
      .where(sql`${appMeta.key} = 'demo_seeded'`);
    if (seeded.length > 0) return false;
    const existing = await tx.select({ id: clients.id }).from(clients).limit(1);
    if (existing.length > 0) {
      // Existing data: never seed over it, and never ask again.
      await tx.insert(appMeta).values({ key: "demo_seeded", value: "skipped: database had data" });
      return false;
    }
    await tx.insert(clients).values([
      { id: "client-1", name: "Client One (demo)", staleAfterSeconds: 24 * 3600 },
      { id: "client-2", name: "Client Two (demo)" },
    ]);
    await tx.insert(domains).values([
      { clientId: "client-1", id: "south_australia", name: "South Australia", status: "active" },
      { clientId: "client-1", id: "victoria", name: "Victoria", status: "inactive" },
      { clientId: "client-2", id: "tasmania", name: "Tasmania", status: "active" },
      {
        clientId: "client-1",
        id: DEMO_REVIEW_DOMAIN,
        name: "Western Australia",
        status: "active",
        changePolicy: { required_approvals: 1, allow_self_approval: false },
      },
    ]);
    await tx.insert(services).values([
      ...southAustraliaServices.map((s) => ({
        clientId: "client-1",
        domainId: "south_australia",
        id: s.id,
        name: s.name,
        providedFeatures: s.features,
        status: s.status ?? ("active" as const),
      })),
      ...westernAustraliaServices.map((s) => ({
        clientId: "client-1",
        domainId: DEMO_REVIEW_DOMAIN,
        id: s.id,
        name: s.name,
        providedFeatures: s.features,
      })),
      {
        clientId: "client-1",
        domainId: "victoria",
        id: "svc-101",
        name: "Melbourne Trams",
        providedFeatures: { mode: "tram" },
      },
      {
        clientId: "client-2",
        domainId: "tasmania",
        id: "svc-201",
        name: "Hobart Buses",
        providedFeatures: { route: "route-h1", mode: "bus" },
      },
    ]);
    await tx.insert(models).values([
      {
        id: "example-model",
        name: "Example model",
        description: "Demand forecasting per service",
        createdBy: SEEDER,
      },
      {
        id: "eta-model",
        name: "ETA model",
        description: "Arrival time prediction",
        createdBy: SEEDER,
      },
    ]);
    const earlier = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    await tx.insert(modelVersions).values([
      {
        modelId: "example-model",
        version: "1.0.0",
        features: exampleModelV1,
        contractHash: contractHash(exampleModelV1),
        createdBy: SEEDER,
        createdAt: earlier,
        description: "First release",
      },
      {
        modelId: "example-model",
        version: "2.0.0",
        features: exampleModelV2,
        contractHash: contractHash(exampleModelV2),
        createdBy: SEEDER,
        description: "Per-route patterns; needs `route`",
      },
      {
        modelId: "eta-model",
        version: "1.0.0",
        features: etaModelV1,
        contractHash: contractHash(etaModelV1),
        createdBy: SEEDER,
        createdAt: earlier,
      },
    ]);
    const row = (
      clientId: string,
      domainId: string,
      scope: string,
      key: string,
      modelId: string,
      version: string,
    ) => ({
      assignmentId: randomUUID(),
      clientId,
      domainId,
      scope,
      assignmentKey: key,
      revision: 1,
      modelId,
      modelVersion: version,
      status: "active" as const,
      role: null,
      settings: {},
      metadata: { seeded: true },
      createdBy: SEEDER,
      createdAt: earlier,
      updatedAt: earlier,
    });
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const saDefault = row("client-1", "south_australia", "", "default", "example-model", "1.0.0");
    const svc002Own = row(
      "client-1",
      "south_australia",
      "svc-002",
      "default",
      "example-model",
      "2.0.0",
    );
    await tx.insert(assignments).values([
      saDefault,
      row("client-1", "south_australia", "", "eta", "eta-model", "1.0.0"),
      svc002Own,
      row("client-2", "tasmania", "", "default", "example-model", "2.0.0"),
      {
        ...row("client-1", DEMO_REVIEW_DOMAIN, "", "default", "example-model", "1.0.0"),
        assignmentId: WA_DEFAULT_ID,
      },
    ]);
    // Request #1 on Western Australia: its move to 2.0.0 with the Airport Line's missing route filled in, waiting
    // for one approval.
    // Its changes (body, base revision, impact) are what opening it decides on this data
    // (db/demo-change-request.json; tests/api/demo-change-request.test.ts keeps the two equal).
    await tx.insert(changeRequests).values({
      id: DEMO_REQUEST_ID,
      clientId: "client-1",
      number: 1,
      title: demoRequest.title,
      description: demoRequest.description,
      status: "open",
      author: DEMO_REQUEST_AUTHOR,
      changes: demoRequest.changes,
      domainIds: [DEMO_REVIEW_DOMAIN],
      impactHash: createHash("sha256").update(canonicalJson(demoRequest.changes)).digest("hex"),
      requiredApprovals: 1,
      allowSelfApproval: false,
      createdAt: ago(90),
      updatedAt: ago(90),
    });
    // Observed state: a few reports, so a fresh start shows every sync state (the others never reported: unknown).
    // client-1 keeps reports for a day (stale_after above), so the demo's states last; svc-004's is two days old.
    const report = (
      serviceId: string,
      values: {
        assignmentId: string | null;
        modelVersion: string;
        contractHash: string | null;
        state: "loaded" | "loading" | "failed";
        message?: string;
        reportedAt: Date;
        sync: "synced" | "out_of_sync" | "contract_mismatch" | "failed";
        syncSince: Date;
      },
    ) => ({
      clientId: "client-1",
      domainId: "south_australia",
      serviceId,
      assignmentKey: "default",
      modelId: "example-model",
      reportedBy: SEEDER,
      message: null,
      ...values,
    });
    const v1Hash = contractHash(exampleModelV1);
    const v2Hash = contractHash(exampleModelV2);
    await tx.insert(observations).values([
      report("service-1", {
        assignmentId: saDefault.assignmentId,
        modelVersion: "1.0.0",
        contractHash: v1Hash,
        state: "loaded",
        reportedAt: ago(2),
        sync: "synced",
        syncSince: ago(180),
      }),
      report("svc-001", {
        assignmentId: null,
        modelVersion: "2.0.0",
        contractHash: v2Hash,
        state: "loaded",
        reportedAt: ago(3),
        sync: "out_of_sync",
        syncSince: ago(45),
      }),
      report("svc-002", {
        assignmentId: svc002Own.assignmentId,
        modelVersion: "2.0.0",
        contractHash: v1Hash,
        state: "loaded",
        reportedAt: ago(1),
        sync: "contract_mismatch",
        syncSince: ago(30),
      }),
      report("svc-003", {
        assignmentId: saDefault.assignmentId,
        modelVersion: "1.0.0",
        contractHash: v1Hash,
        state: "failed",
        message: "model file not found in the artifact store",
        reportedAt: ago(4),
        sync: "failed",
        syncSince: ago(20),
      }),
      report("svc-004", {
        assignmentId: saDefault.assignmentId,
        modelVersion: "1.0.0",
        contractHash: v1Hash,
        state: "loaded",
        reportedAt: ago(2 * 24 * 60),
        sync: "synced",
        syncSince: ago(5 * 24 * 60),
      }),
    ]);
    await tx.insert(appMeta).values({ key: "demo_seeded", value: new Date().toISOString() });
    return true;
  });
}
