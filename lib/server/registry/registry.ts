// The global model registry: models and their immutable versions with frozen feature contracts.
import "server-only";
import { contractHash } from "@/db/contract-hash";
import { and, asc, eq, getTableColumns, gt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { toIso } from "@/db/iso";
import { models, modelVersions } from "@/db/schema";
import type { Database, Db, Tx } from "@/db/types";
import { createAudited } from "@/lib/server/audit/create-audited";
import { auditBy } from "@/lib/server/audit/write-audit";
import type { WriteInput, WriteOptions } from "@/lib/server/audit/write-meta";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import type { paginationQuery } from "@/lib/schemas/common";
import { diffContracts } from "@/lib/features/contract-diff";
import { validateFeatureDefinitions } from "@/lib/features/validate-feature-definitions";
import type {
  ContractDiff,
  Model,
  modelCreateBody,
  ModelVersion,
  versionCreateBody,
} from "@/lib/schemas/registry";
import { conflict, notFound, unprocessable } from "@/lib/shared/errors";

type Page = z.infer<typeof paginationQuery>;

type ModelWithVersions = typeof models.$inferSelect & { versions: string[] | null };
type Version = typeof modelVersions.$inferSelect;

/** The one mapper of a model (with its versions, oldest first) to its wire shape. */
function toModelRow(r: ModelWithVersions): Model {
  return {
    model_id: r.id,
    name: r.name,
    description: r.description,
    versions: r.versions ?? [],
    created_by: r.createdBy,
    created_at: toIso(r.createdAt),
  };
}

/** The one mapper of a model version to its wire shape. */
function toVersionRow(r: Version): ModelVersion {
  return {
    model_id: r.modelId,
    version: r.version,
    description: r.description,
    features: r.features,
    contract_hash: r.contractHash,
    created_by: r.createdBy,
    created_at: toIso(r.createdAt),
  };
}

/** A model's columns and its version ids in registration order (a correlated subquery, also valid in RETURNING). */
const modelFields = {
  ...getTableColumns(models),
  versions: sql<
    string[] | null
  >`(select coalesce(json_agg(${modelVersions.version} order by ${modelVersions.createdAt}, ${modelVersions.version}), '[]'::json) from ${modelVersions} where ${eq(modelVersions.modelId, models.id)})`,
};

/**
 * What a create records in its audit entry's `after`, returned by the insert itself: the row as PostgreSQL's
 * to_jsonb gives it (column names, timestamps with microseconds), as these entries have always recorded it.
 */
const modelAudit = sql<unknown>`to_jsonb(${models})`;
const versionAudit = sql<unknown>`to_jsonb(${modelVersions})`;

const versionExists = (modelId: string, version: string) =>
  conflict(
    `Model "${modelId}" already has version "${version}"; versions are immutable, register a new version`,
  );

export async function listModels(database: Database, input: Page) {
  const after = decodeCursor(input.cursor, ["string"]);
  const rows = await database.db
    .select(modelFields)
    .from(models)
    .where(after ? gt(models.id, after[0] as string) : undefined)
    .orderBy(asc(models.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit, (r) => [r.id]);
  return { items: page.items.map(toModelRow), next_cursor: page.next_cursor };
}

async function readModel(db: Db, modelId: string): Promise<Model> {
  const [row] = await db.select(modelFields).from(models).where(eq(models.id, modelId));
  if (!row) throw notFound(`Model "${modelId}" not found in the registry`);
  return toModelRow(row);
}

export async function getModel(database: Database, input: { modelId: string }) {
  return readModel(database.db, input.modelId);
}

export async function createModel(
  database: Database,
  { actor, meta, body }: WriteInput<z.infer<typeof modelCreateBody>>,
  options: WriteOptions = {},
): Promise<Model> {
  return createAudited(database, options.dryRun, {
    insert: (tx: Tx) =>
      tx
        .insert(models)
        .values({
          id: body.model_id,
          name: body.name ?? body.model_id,
          description: body.description ?? null,
          createdBy: actor.subject,
        })
        .returning({ ...modelFields, audit: modelAudit }),
    toWire: toModelRow,
    entry: (row) => ({ ...auditBy(actor, meta, "model", row.model_id), action: "model.create" }),
    exists: () => conflict(`Model "${body.model_id}" already exists in the registry`),
  });
}

export async function listVersions(database: Database, input: { modelId: string } & Page) {
  const after = decodeCursor(input.cursor, ["string"]);
  const { modelId } = input;
  const v = modelVersions;
  // Registration order; the cursor names the last version seen, whose (created_at, version) continues it.
  const c = alias(modelVersions, "c");
  const cursorRow = (version: string) =>
    database.db
      .select({ createdAt: c.createdAt, version: c.version })
      .from(c)
      .where(and(eq(c.modelId, modelId), eq(c.version, version)));
  const rows = await database.db
    .select()
    .from(v)
    .where(
      and(
        eq(v.modelId, modelId),
        after ? sql`(${v.createdAt}, ${v.version}) > ${cursorRow(after[0] as string)}` : undefined,
      ),
    )
    .orderBy(asc(v.createdAt), asc(v.version))
    .limit(input.limit + 1);
  if (rows.length === 0) await readModel(database.db, modelId);
  const page = pageOf(rows, input.limit, (r) => [r.version]);
  return { items: page.items.map(toVersionRow), next_cursor: page.next_cursor };
}

async function readVersion(db: Db, modelId: string, version: string): Promise<ModelVersion> {
  const [row] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, version)));
  if (row) return toVersionRow(row);
  await readModel(db, modelId);
  throw notFound(`Model "${modelId}" has no version "${version}"`);
}

export async function getVersion(database: Database, input: { modelId: string; version: string }) {
  return readVersion(database.db, input.modelId, input.version);
}

export async function createVersion(
  database: Database,
  {
    actor,
    meta,
    modelId,
    body,
  }: WriteInput<z.infer<typeof versionCreateBody>> & { modelId: string },
  options: WriteOptions = {},
): Promise<ModelVersion> {
  await readModel(database.db, modelId);
  const validated = validateFeatureDefinitions(body.features);
  if (!validated.ok) {
    throw unprocessable(`Invalid feature definitions: ${validated.problems.join("; ")}`, {
      issues: validated.problems.map((message) => ({ path: "features", message })),
    });
  }
  const row = await createAudited(database, options.dryRun, {
    insert: (tx: Tx) =>
      tx
        .insert(modelVersions)
        .values({
          modelId,
          version: body.version,
          description: body.description ?? null,
          features: validated.definitions,
          contractHash: contractHash(validated.definitions),
          createdBy: actor.subject,
        })
        .returning({ ...getTableColumns(modelVersions), audit: versionAudit }),
    toWire: toVersionRow,
    entry: (created) => ({
      ...auditBy(actor, meta, "model_version", `${modelId}@${created.version}`),
      action: "model_version.create",
    }),
    exists: () => versionExists(modelId, body.version),
  });
  // A dry run answers the definitions as validated; a stored contract reads back in jsonb's key order.
  return options.dryRun ? { ...row, features: validated.definitions } : row;
}

export async function contractDiff(
  database: Database,
  input: { modelId: string; to: string; from: string },
): Promise<ContractDiff> {
  const { modelId, to: toVersion, from: fromVersion } = input;
  const [to, from] = await Promise.all([
    readVersion(database.db, modelId, toVersion),
    readVersion(database.db, modelId, fromVersion),
  ]);
  const diff = diffContracts(from.features, to.features);
  return {
    model_id: modelId,
    from: fromVersion,
    to: toVersion,
    breaking: diff.breaking,
    changes: diff.changes,
  };
}
