// The approval policy (four eyes) of a client and its domains: which one holds for a domain, the 403 a direct write
// to a protected scope answers, and the X-Approval-Bypass header of all-clients admins (audited, flagged in history).
import "server-only";
import { and, eq, inArray, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { clients, domains, type ChangePolicy } from "@/db/schema";
import type { Db, Statement } from "@/db/types";
import { auditInsert, writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { ApiError, badRequest, forbidden } from "@/lib/shared/errors";
import { hasScope, type Actor } from "@/lib/shared/scopes";

export const APPROVAL_BYPASS_HEADER = "x-approval-bypass";
export const NO_APPROVALS: ChangePolicy = { required_approvals: 0, allow_self_approval: false };

/** The domain's own policy, else the client's, else none required. */
export function effectivePolicy(
  clientPolicy: ChangePolicy | null,
  domainPolicy: ChangePolicy | null,
): ChangePolicy {
  return domainPolicy ?? clientPolicy ?? NO_APPROVALS;
}

/**
 * The SQL expression of the required approvals of a domain, from its row's and its client's `change_policy`
 * columns (for the upsert's context statement, which reads it under the scope lock with everything else): the
 * domain's policy, else the client's, else none required.
 */
export function requiredApprovalsSql(domainPolicy: SQLWrapper, clientPolicy: SQLWrapper): SQL {
  return sql`coalesce((${domainPolicy}->>'required_approvals')::int, (${clientPolicy}->>'required_approvals')::int, 0)`;
}

export type PolicyRow = {
  domain_id: string;
  domain_policy: ChangePolicy | null;
  client_policy: ChangePolicy | null;
};

/**
 * The select of some domains' and their client's policies. Its keys are also its SQL aliases, so Drizzle and the
 * raw Query of a change request's transaction give the same rows.
 */
export function policiesQuery(
  db: Pick<Db, "select">,
  clientId: string,
  domainIds: readonly string[],
) {
  return db
    .select({
      domain_id: sql<string>`${domains.id}`.as("domain_id"),
      domain_policy: sql<ChangePolicy | null>`${domains.changePolicy}`.as("domain_policy"),
      client_policy: sql<ChangePolicy | null>`${clients.changePolicy}`.as("client_policy"),
    })
    .from(domains)
    .innerJoin(clients, eq(clients.id, domains.clientId))
    .where(and(eq(domains.clientId, clientId), inArray(domains.id, [...domainIds])));
}

/** Each domain's policy (missing domains are left out). */
export function policiesByDomain(rows: readonly PolicyRow[]): Map<string, ChangePolicy> {
  return new Map(rows.map((r) => [r.domain_id, effectivePolicy(r.client_policy, r.domain_policy)]));
}

/** The policies of some domains of a client, in one statement. */
export async function readPolicies(
  db: Pick<Db, "select">,
  clientId: string,
  domainIds: readonly string[],
): Promise<Map<string, ChangePolicy>> {
  return policiesByDomain(await policiesQuery(db, clientId, domainIds));
}

/** The route people and machines must use instead of a direct write to a protected scope. */
export function changeRequestRoute(clientId: string): string {
  return `POST /v2/clients/${clientId}/change-requests`;
}

/** The reason in X-Approval-Bypass (percent-decoded, trimmed, one line, at most 500 characters), or null. */
export function parseApprovalBypass(raw: string | null): string | null {
  if (raw === null) return null;
  let reason: string;
  try {
    reason = decodeURIComponent(raw).trim();
  } catch {
    throw badRequest(
      "Invalid X-Approval-Bypass header: it is not percent-encoded UTF-8; send encodeURIComponent(reason)",
    );
  }
  if (reason === "")
    throw badRequest(
      "X-Approval-Bypass needs a reason: say why this change can't wait for a review",
    );
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(reason) || [...reason].length > 500)
    throw badRequest(
      "Invalid X-Approval-Bypass header: the reason must be one line of at most 500 characters",
    );
  return reason;
}

/**
 * A direct write to a scope whose policy requires approvals: allowed for a dry run, and for an all-clients admin
 * who says why (`bypass`); anything else is the 403 naming the change-request route.
 */
export function assertDirectWrite(input: {
  actor: Actor;
  clientId: string;
  domainId: string;
  requiredApprovals: number;
  bypass: string | null;
  dryRun: boolean;
}): void {
  const { actor, clientId, domainId, requiredApprovals, bypass, dryRun } = input;
  if (bypass !== null && !(actor.clients === "*" && hasScope(actor, "admin")))
    throw forbidden(
      "X-Approval-Bypass is only for admins with access to every client; open a change request instead: " +
        changeRequestRoute(clientId),
    );
  if (requiredApprovals === 0 || dryRun || bypass !== null) return;
  throw new ApiError(
    403,
    `Domain "${domainId}" of client "${clientId}" requires ${requiredApprovals} approval${requiredApprovals === 1 ? "" : "s"} ` +
      `for every change: open a change request (${changeRequestRoute(clientId)}) and have it reviewed; ` +
      "?dry_run=true and previews still answer",
    { change_request_route: `/v2/clients/${clientId}/change-requests` },
  );
}

type BypassAudit = {
  actor: Actor;
  meta: WriteMeta;
  clientId: string;
  domainId: string;
  /** What was written around the policy ("assignment c/d/s/k", "service c/d/s"). */
  what: string;
  bypass: string;
  requiredApprovals: number;
};

function bypassEntry(input: BypassAudit) {
  return {
    actor: input.actor.subject,
    action: "change_policy.bypass",
    entityType: "change_policy",
    entityId: `${input.clientId}/${input.domainId}`,
    clientId: input.clientId,
    requestId: input.meta.requestId,
    reason: input.meta.reason ?? input.bypass,
    after: {
      bypass_reason: input.bypass,
      write: input.what,
      required_approvals: input.requiredApprovals,
    },
  };
}

/** The audit entry of a bypass (who wrote around the required approvals, where, why), in the caller's transaction. */
export async function auditBypass(tx: Pick<Db, "insert">, input: BypassAudit): Promise<void> {
  await writeAudit(tx, bypassEntry(input));
}

/** The same entry as one statement, for the upsert's pipelined transaction (values are bind parameters). */
export function bypassAuditStatement(input: BypassAudit): Statement {
  const e = bypassEntry(input);
  return {
    sql: auditInsert(sql`(select 1) as one`, {
      actor: sql`${e.actor}`,
      action: sql`${e.action}`,
      entityType: sql`${e.entityType}`,
      entityId: sql`${e.entityId}`,
      clientId: sql`${e.clientId}`,
      requestId: sql`${e.requestId}`,
      reason: sql`${e.reason}`,
      after: sql`${JSON.stringify(e.after)}::jsonb`,
    }),
  };
}
