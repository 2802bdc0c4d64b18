CREATE TYPE "public"."worker_task_status" AS ENUM('PENDING', 'INITIALIZED', 'RUNNING', 'FINALIZING', 'COMPLETED', 'FAILED');--> statement-breakpoint
CREATE TABLE "worker_cursors" (
	"workerpool" text PRIMARY KEY NOT NULL,
	"block" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_deals" (
	"deal_id" text PRIMARY KEY NOT NULL,
	"workerpool" text NOT NULL,
	"app" text NOT NULL,
	"dataset" text NOT NULL,
	"requester" text NOT NULL,
	"beneficiary" text NOT NULL,
	"category" bigint NOT NULL,
	"params" text NOT NULL,
	"bot_first" bigint NOT NULL,
	"bot_size" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_tasks" (
	"task_id" text PRIMARY KEY NOT NULL,
	"deal_id" text NOT NULL,
	"idx" bigint NOT NULL,
	"status" "worker_task_status" DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"cause" text,
	"logs" text DEFAULT '' NOT NULL,
	"enclave_challenge" text,
	"result_digest" text,
	"results" text,
	"results_callback" text,
	"enclave_sign" text,
	"authorization_sign" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "worker_tasks" ADD CONSTRAINT "worker_tasks_deal_id_worker_deals_deal_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."worker_deals"("deal_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "worker_tasks_status_idx" ON "worker_tasks" USING btree ("status");--> statement-breakpoint
CREATE INDEX "worker_tasks_deal_idx" ON "worker_tasks" USING btree ("deal_id");