// The global model registry: models and their immutable versions with frozen feature contracts.
import "server-only";
import { toIso } from "@/db/iso";
import type { Database, Query } from "@/db/types";
import { auditInsertSql } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import type { Actor } from "@/lib/shared/scopes";
import { diffContracts } from "@/lib/features/contract-diff";
import type { FeatureDefinition } from "@/lib/features/types";
import { validateFeatureDefinitions } from "@/lib/features/validate-feature-definitions";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { inTransaction } from "@/db/dry-run";
import { conflict, notFound, unprocessable } from "@/lib/shared/errors";

type ModelDbRow = {
  model_id: string;
  name: string;
  description: string | null;
  versions: string[] | null;
  created_by: string;
  created_at: Date;
};
type VersionDbRow = {
  model_id: string;
  version: string;
  description: string | null;
  features: FeatureDefinition[];
  created_by: string;
  created_at: Date;
};

const MODEL_COLUMNS = `m.id as model_id, m.name, m.description,
  (select coalesce(json_agg(v.version order by v.created_at, v.version), '[]'::json) from model_versions v where v.model_id = m.id) as versions,
  m.created_by, m.created_at`;
const VERSION_COLUMNS = `v.model_id, v.version, v.description, v.features, v.created_by, v.created_at`;

const model = (r: ModelDbRow) => ({
  ...r,
  versions: r.versions ?? [],
  created_at: toIso(r.created_at),
});
const version = (r: VersionDbRow) => ({ ...r, created_at: toIso(r.created_at) });

export async function listModels(q: Query, options: { limit: number; cursor?: string }) {
  const after = decodeCursor(options.cursor, ["string"]);
  const rows = await q<ModelDbRow>(
    `select ${MODEL_COLUMNS} from models m where ($1::text is null or m.id > $1) order by m.id limit $2`,
    [after?.[0] ?? null, options.limit + 1],
  );
  const page = pageOf(rows, options.limit, (r) => [r.model_id]);
  return { items: page.items.map(model), next_cursor: page.next_cursor };
}

export async function getModel(q: Query, modelId: string) {
  const rows = await q<ModelDbRow>(`select ${MODEL_COLUMNS} from models m where m.id = $1`, [
    modelId,
  ]);
  if (!rows[0]) throw notFound(`Model "${modelId}" not found in the registry`);
  return model(rows[0]);
}

export async function createModel(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  body: { model_id: string; name?: string; description?: string },
  dryRun = false,
) {
  try {
    return await inTransaction(database, dryRun, async (q) => {
      await q(
        `with ins as (insert into models (id, name, description, created_by) values ($1, $2, $3, $4) returning *),
         audit as (${auditInsertSql("ins", {
           actor: "$4",
           action: "'model.create'",
           entityType: "'model'",
           entityId: "$1",
           requestId: "$5",
           reason: "$6",
           after: "to_jsonb(ins)",
         })})
         select 1`,
        [
          body.model_id,
          body.name ?? body.model_id,
          body.description ?? null,
          actor.subject,
          meta.requestId,
          meta.reason ?? null,
        ],
      );
      return getModel(q, body.model_id);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505")
      throw conflict(`Model "${body.model_id}" already exists in the registry`);
    throw error;
  }
}

export async function listVersions(
  q: Query,
  modelId: string,
  options: { limit: number; cursor?: string },
) {
  const after = decodeCursor(options.cursor, ["string"]);
  const rows = await q<VersionDbRow>(
    `select ${VERSION_COLUMNS} from model_versions v
     where v.model_id = $1 and ($2::text is null or (v.created_at, v.version) >
       (select c.created_at, c.version from model_versions c where c.model_id = $1 and c.version = $2))
     order by v.created_at, v.version limit $3`,
    [modelId, after?.[0] ?? null, options.limit + 1],
  );
  if (rows.length === 0) await getModel(q, modelId);
  const page = pageOf(rows, options.limit, (r) => [r.version]);
  return { items: page.items.map(version), next_cursor: page.next_cursor };
}

export async function getVersion(q: Query, modelId: string, versionId: string) {
  const rows = await q<VersionDbRow>(
    `select ${VERSION_COLUMNS} from model_versions v where v.model_id = $1 and v.version = $2`,
    [modelId, versionId],
  );
  if (rows[0]) return version(rows[0]);
  await getModel(q, modelId);
  throw notFound(`Model "${modelId}" has no version "${versionId}"`);
}

export async function createVersion(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  modelId: string,
  body: { version: string; description?: string; features: FeatureDefinition[] },
  dryRun = false,
) {
  await getModel(database.query, modelId);
  const validated = validateFeatureDefinitions(body.features);
  if (!validated.ok) {
    throw unprocessable(`Invalid feature definitions: ${validated.problems.join("; ")}`, {
      issues: validated.problems.map((message) => ({ path: "features", message })),
    });
  }
  const [existing] = await database.query(
    `select 1 from model_versions where model_id = $1 and version = $2`,
    [modelId, body.version],
  );
  if (existing)
    throw conflict(
      `Model "${modelId}" already has version "${body.version}"; versions are immutable, register a new version`,
    );
  if (dryRun) {
    return version({
      model_id: modelId,
      version: body.version,
      description: body.description ?? null,
      features: validated.definitions,
      created_by: actor.subject,
      created_at: new Date(),
    });
  }
  try {
    const rows = await database.query<VersionDbRow>(
      `with ins as (insert into model_versions as v (model_id, version, description, features, created_by)
         values ($1, $2, $3, $4::jsonb, $5) returning ${VERSION_COLUMNS}),
       audit as (${auditInsertSql("ins", {
         actor: "$5",
         action: "'model_version.create'",
         entityType: "'model_version'",
         entityId: "$1 || '@' || $2",
         requestId: "$6",
         reason: "$7",
         after: "to_jsonb(ins)",
       })})
       select * from ins`,
      [
        modelId,
        body.version,
        body.description ?? null,
        JSON.stringify(validated.definitions),
        actor.subject,
        meta.requestId,
        meta.reason ?? null,
      ],
    );
    return version(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === "23505")
      throw conflict(
        `Model "${modelId}" already has version "${body.version}"; versions are immutable, register a new version`,
      );
    throw error;
  }
}

export async function contractDiff(
  q: Query,
  modelId: string,
  toVersion: string,
  fromVersion: string,
) {
  const [to, from] = await Promise.all([
    getVersion(q, modelId, toVersion),
    getVersion(q, modelId, fromVersion),
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
