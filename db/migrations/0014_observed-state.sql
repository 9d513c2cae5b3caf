CREATE TABLE "observations" (
	"client_id" text NOT NULL,
	"domain_id" text NOT NULL,
	"service_id" text NOT NULL,
	"assignment_key" text NOT NULL,
	"assignment_id" uuid,
	"model_id" text NOT NULL,
	"model_version" text NOT NULL,
	"contract_hash" text,
	"state" text NOT NULL,
	"message" text,
	"reported_at" timestamp with time zone NOT NULL,
	"reported_by" text NOT NULL,
	"sync" text NOT NULL,
	"sync_since" timestamp with time zone NOT NULL,
	CONSTRAINT "observations_client_id_domain_id_service_id_assignment_key_pk" PRIMARY KEY("client_id","domain_id","service_id","assignment_key"),
	CONSTRAINT "observations_state_check" CHECK ("observations"."state" in ('loaded', 'loading', 'failed')),
	CONSTRAINT "observations_sync_check" CHECK ("observations"."sync" in ('synced', 'out_of_sync', 'contract_mismatch', 'failed', 'unknown'))
);
--> statement-breakpoint
ALTER TABLE "changes" ALTER COLUMN "audit_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "changes" ADD COLUMN "sync" text;--> statement-breakpoint
ALTER TABLE "changes" ADD COLUMN "previous_sync" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "stale_after_seconds" integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "contract_hash" text;--> statement-breakpoint
-- Hand-written (docs/decisions/090-contract-hash.md): the contract hash of the versions registered before this
-- migration. The app computes it in JS when a version is registered (db/contract-hash.ts); canonical_json is the
-- same canonical form in SQL (keys sorted by code point, no whitespace), kept so tests can check the two agree.
CREATE FUNCTION canonical_json(v jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN CASE jsonb_typeof(v)
    WHEN 'object' THEN '{' || coalesce((SELECT string_agg(to_json(k)::text || ':' || canonical_json(e), ',' ORDER BY k COLLATE "C")
                                        FROM jsonb_each(v) AS x(k, e)), '') || '}'
    WHEN 'array' THEN '[' || coalesce((SELECT string_agg(canonical_json(e), ',' ORDER BY i)
                                       FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, i)), '') || ']'
    ELSE v::text
  END;
END
$$;--> statement-breakpoint
UPDATE "model_versions" SET "contract_hash" = encode(sha256(convert_to(canonical_json("features"), 'UTF8')), 'hex');--> statement-breakpoint
ALTER TABLE "model_versions" ALTER COLUMN "contract_hash" SET NOT NULL;--> statement-breakpoint
-- Hand-written: during a rolling upgrade an instance of an earlier version registers versions without a hash; the
-- database fills it in the same canonical form, so such a version is never refused.
CREATE FUNCTION model_versions_contract_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.contract_hash IS NULL THEN
    NEW.contract_hash := encode(sha256(convert_to(canonical_json(NEW.features), 'UTF8')), 'hex');
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER model_versions_contract_hash BEFORE INSERT ON "model_versions"
  FOR EACH ROW EXECUTE FUNCTION model_versions_contract_hash();--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_client_id_domain_id_service_id_services_client_id_domain_id_id_fk" FOREIGN KEY ("client_id","domain_id","service_id") REFERENCES "public"."services"("client_id","domain_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_stale_after_positive" CHECK ("clients"."stale_after_seconds" > 0);