// The one pg-core schema shared by the PGlite and node-postgres drivers.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// The JSON shapes stored in jsonb columns. They are defined here, with the tables, so row types inferred from the
// schema carry them; lib/features/types.ts re-exports them for the domain code and the browser (type-only).

/** The types a contract feature can declare (lib/features/types.ts lists them at run time as FEATURE_TYPES). */
export type FeatureType = "string" | "number" | "integer" | "boolean" | "enum";

export type FeatureValue = string | number | boolean;

/** One feature of a model version's contract. */
export type FeatureDefinition = {
  key: string;
  type: FeatureType;
  required: boolean;
  default?: FeatureValue | null;
  allowed_values?: string[];
  description?: string;
};

/** A service's provided_features: arbitrary JSON values, checked against a contract. */
export type Features = Record<string, unknown>;

/** How many approvals a change to a client's (or one domain's) assignments and services needs (change requests). */
export type ChangePolicy = { required_approvals: number; allow_self_approval: boolean };

const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const clients = pgTable(
  "clients",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    // Every write to this client's data must carry a change reason (X-Change-Reason); enforced by a trigger.
    requireChangeReason: boolean("require_change_reason").notNull().default(false),
    // How long a service's report of what it runs stays current: older reports count as sync state "unknown".
    staleAfterSeconds: integer("stale_after_seconds").notNull().default(600),
    // Approvals required before a change reaches the client's assignments and services (null: none).
    changePolicy: jsonb("change_policy").$type<ChangePolicy>(),
    createdAt: createdAt(),
  },
  (t) => [check("clients_stale_after_positive", sql`${t.staleAfterSeconds} > 0`)],
);

export const domains = pgTable(
  "domains",
  {
    clientId: text("client_id")
      .notNull()
      .references(() => clients.id),
    id: text("id").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "inactive"] })
      .notNull()
      .default("active"),
    // Overrides the client's change_policy for this domain (null: the client's holds).
    changePolicy: jsonb("change_policy").$type<ChangePolicy>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    check("domains_status_check", sql`${t.status} in ('active', 'inactive')`),
  ],
);

export const services = pgTable(
  "services",
  {
    clientId: text("client_id").notNull(),
    domainId: text("domain_id").notNull(),
    id: text("id").notNull(),
    name: text("name"),
    providedFeatures: jsonb("provided_features").$type<Features>().notNull().default({}),
    status: text("status", { enum: ["active", "departed"] })
      .notNull()
      .default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.domainId, t.id] }),
    foreignKey({
      columns: [t.clientId, t.domainId],
      foreignColumns: [domains.clientId, domains.id],
    }),
    check("services_status_check", sql`${t.status} in ('active', 'departed')`),
  ],
);

export const models = pgTable("models", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  description: text("description"),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
});

export const modelVersions = pgTable(
  "model_versions",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => models.id),
    version: text("version").notNull(),
    description: text("description"),
    features: jsonb("features").$type<FeatureDefinition[]>().notNull(),
    // SHA-256 (hex) of the contract (`features`) in canonical JSON (db/contract-hash.ts), computed when the version
    // is registered; services report it so a right version with another contract is caught.
    contractHash: text("contract_hash").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.version] })],
);

export const assignments = pgTable(
  "assignments",
  {
    assignmentId: uuid("assignment_id").primaryKey(),
    clientId: text("client_id").notNull(),
    domainId: text("domain_id").notNull(),
    // '' for the domain default; the service id for a service assignment.
    // A non-null scope keeps the unique indexes simple (NULLs never collide).
    scope: text("scope").notNull(),
    assignmentKey: text("assignment_key").notNull(),
    revision: integer("revision").notNull(),
    modelId: text("model_id").notNull(),
    modelVersion: text("model_version").notNull(),
    status: text("status", { enum: ["active", "archived"] }).notNull(),
    role: text("role"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text("created_by").notNull(),
    // Why the revision was written (the X-Change-Reason header), also on its audit entry.
    changeReason: text("change_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // When the revision stopped being active (null while active; = created_at if stored archived).
    activeUntil: timestamp("active_until", { withTimezone: true, mode: "date" }),
    // The earlier revision of the same key whose content this one restored (the console's "Restore"), or null.
    restoredFromRevision: integer("restored_from_revision"),
    // A service assignment written by a domain default's change to keep the service on its current version
    // (pin_services): that domain revision's assignment_id. Null for every other revision.
    pinnedBy: uuid("pinned_by").references((): AnyPgColumn => assignments.assignmentId),
    // The change request whose apply wrote this revision, or null.
    changeRequestId: uuid("change_request_id").references((): AnyPgColumn => changeRequests.id),
    // The reason an all-clients admin gave to write around a required approval (X-Approval-Bypass), or null.
    approvalBypass: text("approval_bypass"),
  },
  (t) => [
    uniqueIndex("assignments_one_active_per_key")
      .on(t.clientId, t.domainId, t.scope, t.assignmentKey)
      .where(sql`${t.status} = 'active'`),
    uniqueIndex("assignments_revision_per_key").on(
      t.clientId,
      t.domainId,
      t.scope,
      t.assignmentKey,
      t.revision,
    ),
    foreignKey({
      columns: [t.clientId, t.domainId],
      foreignColumns: [domains.clientId, domains.id],
    }),
    foreignKey({
      columns: [t.modelId, t.modelVersion],
      foreignColumns: [modelVersions.modelId, modelVersions.version],
    }),
    // "Restored from" names a revision of the same key (same client, domain, scope and key), older than this one.
    foreignKey({
      name: "assignments_restored_from_same_key",
      columns: [t.clientId, t.domainId, t.scope, t.assignmentKey, t.restoredFromRevision],
      foreignColumns: [t.clientId, t.domainId, t.scope, t.assignmentKey, t.revision],
    }),
    index("assignments_domain_key_status").on(t.clientId, t.domainId, t.assignmentKey, t.status),
    index("assignments_pinned_by")
      .on(t.pinnedBy)
      .where(sql`${t.pinnedBy} is not null`),
    check("assignments_status_check", sql`${t.status} in ('active', 'archived')`),
    check("assignments_revision_positive", sql`${t.revision} > 0`),
    check(
      "assignments_restored_from_older",
      sql`${t.restoredFromRevision} is null or ${t.restoredFromRevision} < ${t.revision}`,
    ),
  ],
);

// Observed state (docs/observed-state.md): what each service last reported it runs per assignment key, updated in
// place by every report (no revisions, no audit rows). `sync` is the sync state the report had against what the
// service should run when it arrived, `sync_since` when that state began; reads recompute the state against what
// the service should run now and the client's stale_after (lib/features/sync-state.ts).
export const observations = pgTable(
  "observations",
  {
    clientId: text("client_id").notNull(),
    domainId: text("domain_id").notNull(),
    serviceId: text("service_id").notNull(),
    assignmentKey: text("assignment_key").notNull(),
    assignmentId: uuid("assignment_id"),
    modelId: text("model_id").notNull(),
    modelVersion: text("model_version").notNull(),
    contractHash: text("contract_hash"),
    state: text("state", { enum: ["loaded", "loading", "failed"] }).notNull(),
    message: text("message"),
    reportedAt: timestamp("reported_at", { withTimezone: true, mode: "date" }).notNull(),
    reportedBy: text("reported_by").notNull(),
    sync: text("sync", {
      enum: ["synced", "out_of_sync", "contract_mismatch", "failed", "unknown"],
    }).notNull(),
    syncSince: timestamp("sync_since", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.domainId, t.serviceId, t.assignmentKey] }),
    foreignKey({
      columns: [t.clientId, t.domainId, t.serviceId],
      foreignColumns: [services.clientId, services.domainId, services.id],
    }),
    check("observations_state_check", sql`${t.state} in ('loaded', 'loading', 'failed')`),
    check(
      "observations_sync_check",
      sql`${t.sync} in ('synced', 'out_of_sync', 'contract_mismatch', 'failed', 'unknown')`,
    ),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    clientId: text("client_id"),
    requestId: text("request_id"),
    reason: text("reason"),
    before: jsonb("before"),
    after: jsonb("after"),
    // The assignment revision this entry was written with: its own upsert, and the service patches
    // (service_updates) that went in with it, in the same statement.
    assignmentId: uuid("assignment_id").references(() => assignments.assignmentId),
  },
  (t) => [
    index("audit_log_entity").on(t.entityType, t.entityId),
    index("audit_log_assignment")
      .on(t.assignmentId)
      .where(sql`${t.assignmentId} is not null`),
    index("audit_log_client_at").on(t.clientId, t.at),
    index("audit_log_actor").on(t.actor),
    index("audit_log_action").on(t.action),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    name: text("name"),
    // Null for people who sign in only through the organisation's identity provider (OIDC).
    passwordHash: text("password_hash"),
    role: text("role", { enum: ["viewer", "editor", "admin"] }).notNull(),
    disabled: boolean("disabled").notNull().default(false),
    // Embedded in every session JWT; bumping it ends all of the person's sessions at once.
    sessionVersion: integer("session_version").notNull().default(1),
    // The clients a person may touch; null for all. Set from the identity provider's claim for OIDC people.
    clients: jsonb("clients").$type<string[]>(),
    // Set when someone else chose the password (first start, an admin, a generated one): the person must choose their
    // own at their next sign-in before anything else (lib/server/http/route.ts, the console's gate).
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    // "oidc" for people created by their first single sign-on; "password" otherwise.
    authSource: text("auth_source").notNull().default("password"),
    // The identity provider's identity bound to this person: the ID token's `iss` and `sub`, both or neither. A
    // single sign-on finds its person by these, never by email alone (docs/decisions/030-sso-identities.md).
    ssoIssuer: text("sso_issuer"),
    ssoSubject: text("sso_subject"),
    // Set by an admin: the next single sign-on with this person's email (verified) binds its identity to them.
    ssoLinkAllowed: boolean("sso_link_allowed").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_sso_identity").on(t.ssoIssuer, t.ssoSubject),
    check("users_sso_identity_whole", sql`(${t.ssoIssuer} is null) = (${t.ssoSubject} is null)`),
  ],
);

/** One session's sign-out: the JWT is still cryptographically valid until it expires, so its id is kept here. */
export const endedSessions = pgTable(
  "ended_sessions",
  {
    sessionId: uuid("session_id").primaryKey(),
    userId: uuid("user_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("ended_sessions_expires").on(t.expiresAt)],
);

/**
 * Sign-in attempts that count towards the limits: one row per failed (or in-flight) password check, per
 * account and per address. Rows older than the window are ignored and pruned.
 */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // "account:<email>" or "address:<ip>".
    bucket: text("bucket").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_attempts_bucket_at").on(t.bucket, t.at)],
);

export const apiTokens = pgTable("api_tokens", {
  // The JWT's jti.
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  subject: text("subject").notNull(),
  scopes: jsonb("scopes").$type<string[]>().notNull(),
  clients: jsonb("clients").$type<string[]>().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  // Updated at most once a minute per token (see lib/server/auth/revocations.ts), not on every request.
  lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
  // The person the token answers to: the one who made it in the console, or the person behind the token that made
  // it. Disabling that person revokes the token unless it is handed over to someone else. Null for tokens made by
  // the operator's command line (`npm run token`).
  // (No foreign key: people are never deleted, only disabled.)
  ownerUserId: uuid("owner_user_id"),
  // The token that made this one (a machine minting tokens); its expiry bounds this one's.
  parentTokenId: uuid("parent_token_id"),
  // Set for a token minted without a row (by `npm run token` before 0.2.0) and recorded later by adopting it: the
  // JWT was not made here, so its own exp may be later than expires_at, which the server enforces.
  // Added nullable (an "expand" change): 0.2.0 instances still write rows without it during a rolling upgrade.
  adoptedAt: timestamp("adopted_at", { withTimezone: true, mode: "date" }),
});

/**
 * Open change streams (server-sent events), one row each while open, so the limit per token and per person holds
 * across every app instance. An instance refreshes seen_at of its streams at every heartbeat; a row not seen for
 * a while belongs to a stream whose instance died, and no longer counts.
 */
export const changeStreams = pgTable(
  "change_streams",
  {
    id: uuid("id").primaryKey(),
    // "token:<jti>", "person:<users.id>" or "subject:<sub>" (a token of the identity provider).
    holder: text("holder").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    seenAt: timestamp("seen_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("change_streams_holder").on(t.holder, t.seenAt)],
);

export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: updatedAt(),
});

// The change feed (a transactional outbox): one row per committed change to a domain's assignments or services,
// written by a trigger on audit_log in the writing transaction itself (see db/migrations/*_machines_sql.sql and
// docs/decisions/014-outbox-order.md). `seq` is the per-domain cursor: consecutive, in commit order.
export const domainChangeHeads = pgTable(
  "domain_change_heads",
  {
    clientId: text("client_id").notNull(),
    domainId: text("domain_id").notNull(),
    /** The domain's latest change cursor; its row lock orders a domain's writers until they commit. */
    seq: bigint("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.domainId] })],
);

export const changes = pgTable(
  "changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    clientId: text("client_id").notNull(),
    domainId: text("domain_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    kind: text("kind", { enum: ["assignment", "service", "change_request", "rollout"] }).notNull(),
    action: text("action").notNull(),
    assignmentKey: text("assignment_key"),
    serviceId: text("service_id"),
    assignmentId: uuid("assignment_id"),
    /** The change request the change is about (kind change_request). */
    changeRequestId: uuid("change_request_id"),
    /** The rollout the change is about (kind rollout). */
    rolloutId: uuid("rollout_id"),
    actor: text("actor").notNull(),
    /**
     * The audit_log row that describes the change in full (before/after); null for a change of a service's sync
     * state (reports of observed state write no audit rows).
     */
    auditId: bigint("audit_id", { mode: "number" }),
    /** A sync change (action "sync_changed"): the service's sync state for the key after the report, and before. */
    sync: text("sync"),
    previousSync: text("previous_sync"),
    /** A scheduled change (action "scheduled"): `{ model_id, model_version, apply_at, change_request_id }`. */
    upcoming: jsonb("upcoming").$type<{
      model_id: string;
      model_version: string;
      apply_at: string;
      change_request_id: string;
    }>(),
  },
  (t) => [
    uniqueIndex("changes_domain_seq").on(t.clientId, t.domainId, t.seq),
    // One service's changes in feed order (?service_id=, the service page's history of its state).
    index("changes_domain_service_seq").on(t.clientId, t.domainId, t.serviceId, t.seq),
    check(
      "changes_kind_check",
      sql`${t.kind} in ('assignment', 'service', 'change_request', 'rollout')`,
    ),
  ],
);

// Webhooks (docs/webhooks.md, docs/decisions/017-webhooks-dispatch.md, 018-webhooks-secrets-and-targets.md): a client's subscriptions to its domains' change
// feed. The secret is stored encrypted (AES-256-GCM, key derived from AUTH_SECRET) because the server must sign with
// it; it is shown once at creation and never answered again.
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => clients.id),
    url: text("url").notNull(),
    events: jsonb("events")
      .$type<("assignment" | "service" | "change_request" | "rollout")[]>()
      .notNull(),
    description: text("description"),
    secretEncrypted: text("secret_encrypted").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhooks_client").on(t.clientId, t.createdAt)],
);

// How far each webhook has taken each domain's feed into webhook_deliveries (the last change cursor enqueued).
export const webhookCursors = pgTable(
  "webhook_cursors",
  {
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    domainId: text("domain_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.domainId] })],
);

// One row per (webhook, change): its id is the idempotency id sent as X-Webhook-Id on every attempt. A pending row
// is due at next_attempt_at; a claimed one carries a lease (locked_until), so no other instance sends it meanwhile. Per (webhook, domain) only the lowest pending seq is ever sent (commit order).
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    domainId: text("domain_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
    /** While an instance is sending it: no other instance claims it before then (a crashed sender's lease ends). */
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    /** Retries stop after this (24 h after the change, or after a manual retry). */
    giveUpAt: timestamp("give_up_at", { withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now() + interval '24 hours'`),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, mode: "date" }),
    responseCode: integer("response_code"),
    lastError: text("last_error"),
    responseExcerpt: text("response_excerpt"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_change").on(t.webhookId, t.domainId, t.seq),
    index("webhook_deliveries_due")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_list").on(t.webhookId, t.createdAt),
    check(
      "webhook_deliveries_status_check",
      sql`${t.status} in ('pending', 'succeeded', 'failed')`,
    ),
  ],
);

export const CHANGE_REQUEST_STATUSES = [
  "open",
  "approved",
  "applied",
  "rejected",
  "withdrawn",
  "stale",
  "failed",
] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

// Change requests (docs/change-requests.md, docs/decisions/100-change-requests.md): changes to a client's
// assignments saved for review, with the impact each reviewer approved, applied once in one transaction.
export const changeRequests = pgTable(
  "change_requests",
  {
    id: uuid("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => clients.id),
    /** Per client, from 1. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    applyAt: timestamp("apply_at", { withTimezone: true, mode: "date" }),
    status: text("status", { enum: CHANGE_REQUEST_STATUSES }).notNull(),
    author: text("author").notNull(),
    /** The changes, each with its body, base revision and impact as stored at open or at the last edit. */
    changes: jsonb("changes").$type<unknown[]>().notNull(),
    /** The domains the changes touch (their feeds hear of the request). */
    domainIds: jsonb("domain_ids").$type<string[]>().notNull(),
    impactHash: text("impact_hash").notNull(),
    /** Bumped by every edit: reviews of an earlier round no longer count. */
    round: integer("round").notNull().default(1),
    requiredApprovals: integer("required_approvals").notNull(),
    allowSelfApproval: boolean("allow_self_approval").notNull(),
    /** Why the request is stale or failed. */
    statusReason: text("status_reason"),
    /** Stale: the impact that had been approved, per change (the changes now hold the impact found at apply). */
    approvedImpact: jsonb("approved_impact").$type<unknown[]>(),
    appliedAt: timestamp("applied_at", { withTimezone: true, mode: "date" }),
    appliedBy: text("applied_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("change_requests_client_number").on(t.clientId, t.number),
    index("change_requests_client_status").on(t.clientId, t.status, t.number),
    // The scheduler's due requests and the effective reads' upcoming changes: approved, with a time (few rows).
    index("change_requests_scheduled")
      .on(t.clientId, t.applyAt)
      .where(sql`${t.status} = 'approved' and ${t.applyAt} is not null`),
    check(
      "change_requests_status_check",
      sql`${t.status} in ('open', 'approved', 'applied', 'rejected', 'withdrawn', 'stale', 'failed')`,
    ),
    check("change_requests_required_approvals_range", sql`${t.requiredApprovals} between 0 and 5`),
    check("change_requests_number_positive", sql`${t.number} > 0`),
  ],
);

export const changeRequestReviews = pgTable(
  "change_request_reviews",
  {
    id: uuid("id").primaryKey(),
    changeRequestId: uuid("change_request_id")
      .notNull()
      .references(() => changeRequests.id),
    reviewer: text("reviewer").notNull(),
    decision: text("decision", { enum: ["approve", "reject", "comment"] }).notNull(),
    comment: text("comment"),
    impactHash: text("impact_hash").notNull(),
    /** The request's round when the review was given. */
    round: integer("round").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("change_request_reviews_request").on(t.changeRequestId, t.at),
    check(
      "change_request_reviews_decision_check",
      sql`${t.decision} in ('approve', 'reject', 'comment')`,
    ),
  ],
);

export const ROLLOUT_STATUSES = [
  "running",
  "paused",
  "stopped",
  "completed",
  "aborted",
  "rolled_back",
] as const;
export const ROLLOUT_WAVE_STATUSES = [
  "pending",
  "awaiting_approval",
  "applied",
  "completed",
  "failed",
  "rolled_back",
] as const;

/** Who started a rollout, as its steps act (the scheduler writes on the author's behalf, with the author's rights). */
export type RolloutActor = { subject: string; scopes: string[]; clients: string[] | "*" };
export type RolloutTarget = { client_id: string; domain_id: string };
export type RolloutGate = {
  wait_seconds?: number;
  min_synced_percent?: number;
  manual?: boolean;
  timeout_seconds?: number;
};
export type RolloutServiceUpdate = {
  client_id: string;
  domain_id: string;
  service_id: string;
  static_features: Record<string, unknown>;
};

// Rollouts (docs/decisions/115-rollouts.md): one assignment key moved across domains in ordered waves, each wave
// applied as a change request of its client, gated on observed state. A running rollout is due at next_check_at;
// whichever instance's scheduler claims its row (for update skip locked) runs its one next step.
export const rollouts = pgTable(
  "rollouts",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    assignmentKey: text("assignment_key").notNull(),
    modelId: text("model_id").notNull(),
    modelVersion: text("model_version").notNull(),
    status: text("status", { enum: ROLLOUT_STATUSES }).notNull(),
    statusReason: text("status_reason"),
    /** The wave in progress (0-based); equals the number of waves once completed. */
    currentWave: integer("current_wave").notNull().default(0),
    /** When the scheduler next looks at it (running rollouts only). */
    nextCheckAt: timestamp("next_check_at", { withTimezone: true, mode: "date" }),
    clientIds: jsonb("client_ids").$type<string[]>().notNull(),
    serviceUpdates: jsonb("service_updates").$type<RolloutServiceUpdate[]>().notNull(),
    actor: jsonb("actor").$type<RolloutActor>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("rollouts_due")
      .on(t.nextCheckAt)
      .where(sql`${t.status} = 'running'`),
    index("rollouts_created").on(t.createdAt),
    check(
      "rollouts_status_check",
      sql`${t.status} in ('running', 'paused', 'stopped', 'completed', 'aborted', 'rolled_back')`,
    ),
  ],
);

export const rolloutWaves = pgTable(
  "rollout_waves",
  {
    rolloutId: uuid("rollout_id")
      .notNull()
      .references(() => rollouts.id),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    targets: jsonb("targets").$type<RolloutTarget[]>().notNull(),
    gate: jsonb("gate").$type<RolloutGate>().notNull(),
    status: text("status", { enum: ROLLOUT_WAVE_STATUSES }).notNull().default("pending"),
    statusReason: text("status_reason"),
    /** The change requests the wave opened, one per client. */
    changeRequests: jsonb("change_requests")
      .$type<{ client_id: string; id: string; number: number }[]>()
      .notNull()
      .default([]),
    /** The domain default revisions active just before the wave applied (null: none), what rollback restores. */
    previous: jsonb("previous")
      .$type<{ client_id: string; domain_id: string; assignment_id: string | null }[]>()
      .notNull()
      .default([]),
    appliedAt: timestamp("applied_at", { withTimezone: true, mode: "date" }),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
    promotedBy: text("promoted_by"),
    /** The synced share when the gate was last checked. */
    syncedPercent: doublePrecision("synced_percent"),
  },
  (t) => [
    primaryKey({ columns: [t.rolloutId, t.position] }),
    check(
      "rollout_waves_status_check",
      sql`${t.status} in ('pending', 'awaiting_approval', 'applied', 'completed', 'failed', 'rolled_back')`,
    ),
  ],
);
