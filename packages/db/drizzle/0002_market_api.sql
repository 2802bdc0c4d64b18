CREATE TABLE "market_challenges" (
	"digest" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"chain_id" integer NOT NULL,
	"challenge" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "unpublished_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "market_challenges_expires_idx" ON "market_challenges" USING btree ("expires_at");