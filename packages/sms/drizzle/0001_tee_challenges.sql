CREATE TABLE "sms_tee_challenges" (
	"nonce" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sms_tee_challenges_expires_at_idx" ON "sms_tee_challenges" USING btree ("expires_at");