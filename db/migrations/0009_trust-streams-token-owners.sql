CREATE TABLE "change_streams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "owner_user_id" uuid;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "parent_token_id" uuid;--> statement-breakpoint
CREATE INDEX "change_streams_holder" ON "change_streams" USING btree ("holder","seen_at");--> statement-breakpoint
-- Tokens made in the console before owners were recorded answer to the person who made them.
UPDATE "api_tokens" SET "owner_user_id" = "users"."id" FROM "users" WHERE "api_tokens"."created_by" = 'user:' || "users"."email";
