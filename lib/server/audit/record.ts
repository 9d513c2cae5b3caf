// One small audit write for sign-in and session events (the same audit_log rows as every other change).
import "server-only";
import type { Db } from "@/db/types";
import { auditLog } from "@/db/schema";

export type AuditRecord = {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  after?: Record<string, unknown> | null;
};

export async function recordAudit(db: Db, record: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    actor: record.actor,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    after: record.after ?? null,
  });
}
