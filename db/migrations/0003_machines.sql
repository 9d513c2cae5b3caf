CREATE TABLE "changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"domain_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"assignment_key" text,
	"service_id" text,
	"assignment_id" uuid,
	"actor" text NOT NULL,
	"audit_id" bigint NOT NULL,
	CONSTRAINT "changes_kind_check" CHECK ("changes"."kind" in ('assignment', 'service'))
);
--> statement-breakpoint
CREATE TABLE "domain_change_heads" (
	"client_id" text NOT NULL,
	"domain_id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "domain_change_heads_client_id_domain_id_pk" PRIMARY KEY("client_id","domain_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "changes_domain_seq" ON "changes" USING btree ("client_id","domain_id","seq");