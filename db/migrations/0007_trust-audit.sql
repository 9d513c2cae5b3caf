ALTER TABLE "assignments" ADD COLUMN "change_reason" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "require_change_reason" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_actor" ON "audit_log" USING btree ("actor");--> statement-breakpoint
CREATE INDEX "audit_log_action" ON "audit_log" USING btree ("action");