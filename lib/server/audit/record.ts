// One small audit write for sign-in and session events (the same audit_log rows as every other change), through
// the one writer.
import "server-only";
import type { Db } from "@/db/types";
import { type AuditEntryInput, writeAudit } from "./write-audit";

type AuditRecord = Pick<AuditEntryInput, "actor" | "action" | "entityType" | "entityId" | "after">;

export async function recordAudit(db: Db, record: AuditRecord): Promise<void> {
  await writeAudit(db, record);
}
