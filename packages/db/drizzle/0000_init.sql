CREATE TYPE "public"."order_kind" AS ENUM('app', 'dataset', 'workerpool', 'request');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('open', 'filled', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."task_status" AS ENUM('ACTIVE', 'REVEALING', 'COMPLETED', 'FAILED');--> statement-breakpoint
CREATE TABLE "accounts" (
	"address" text PRIMARY KEY NOT NULL,
	"display_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app_versions" (
	"app" text NOT NULL,
	"version" integer NOT NULL,
	"listing" jsonb NOT NULL,
	"editor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_versions_app_version_pk" PRIMARY KEY("app","version")
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"address" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"multiaddr" text NOT NULL,
	"checksum" text NOT NULL,
	"mrenclave" text NOT NULL,
	"tee_framework" text,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"listed" boolean DEFAULT false NOT NULL,
	"title" text,
	"description" text,
	"category" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"required_schema" jsonb,
	"args_description" text,
	"secrets_description" text,
	"input_files_description" text,
	"price" numeric(78, 0),
	"source_url" text,
	"version" integer DEFAULT 0 NOT NULL,
	"listed_at" timestamp with time zone,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"search" "tsvector",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tx_hash" text
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"deal_id" text PRIMARY KEY NOT NULL,
	"app" text NOT NULL,
	"dataset" text,
	"workerpool" text NOT NULL,
	"requester" text NOT NULL,
	"beneficiary" text NOT NULL,
	"app_price" numeric(78, 0) NOT NULL,
	"dataset_price" numeric(78, 0) NOT NULL,
	"workerpool_price" numeric(78, 0) NOT NULL,
	"bot_first" numeric(78, 0) NOT NULL,
	"volume" numeric(78, 0) NOT NULL,
	"category" integer NOT NULL,
	"tag" text NOT NULL,
	"params" text NOT NULL,
	"app_order_hash" text NOT NULL,
	"dataset_order_hash" text NOT NULL,
	"workerpool_order_hash" text NOT NULL,
	"request_order_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indexer_cursor" (
	"id" text PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"last_block" bigint NOT NULL,
	"last_block_hash" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"hash" text PRIMARY KEY NOT NULL,
	"kind" "order_kind" NOT NULL,
	"subject" text NOT NULL,
	"app" text,
	"dataset" text,
	"workerpool" text,
	"requester" text,
	"signer" text NOT NULL,
	"price" numeric(78, 0) NOT NULL,
	"volume" numeric(78, 0) NOT NULL,
	"consumed" numeric(78, 0) DEFAULT 0 NOT NULL,
	"tag" text NOT NULL,
	"category" integer,
	"payload" jsonb NOT NULL,
	"status" "order_status" DEFAULT 'open' NOT NULL,
	"expires_at" timestamp with time zone,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protected_data" (
	"address" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"multiaddr" text NOT NULL,
	"checksum" text NOT NULL,
	"schema" jsonb,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"account" text NOT NULL,
	"kind" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"task_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rewards_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "siwe_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"task_id" text PRIMARY KEY NOT NULL,
	"deal_id" text NOT NULL,
	"index" numeric(78, 0) NOT NULL,
	"status" "task_status" NOT NULL,
	"result_digest" text,
	"result_location" text,
	"initialized_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workerpools" (
	"address" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"description" text NOT NULL,
	"created_block" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_versions" ADD CONSTRAINT "app_versions_app_apps_address_fk" FOREIGN KEY ("app") REFERENCES "public"."apps"("address") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_deal_id_deals_deal_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."deals"("deal_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "apps_owner_idx" ON "apps" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "apps_newest_idx" ON "apps" USING btree ("created_block" DESC NULLS FIRST,"address" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "apps_usage_idx" ON "apps" USING btree ("usage_count" DESC NULLS FIRST,"address" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "apps_price_idx" ON "apps" USING btree ("price","address");--> statement-breakpoint
CREATE INDEX "apps_category_idx" ON "apps" USING btree ("category");--> statement-breakpoint
CREATE INDEX "apps_search_idx" ON "apps" USING gin ("search");--> statement-breakpoint
CREATE INDEX "apps_required_schema_idx" ON "apps" USING gin ("required_schema");--> statement-breakpoint
CREATE INDEX "audit_subject_idx" ON "audit_log" USING btree ("subject","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_log" USING btree ("actor","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deals_app_idx" ON "deals" USING btree ("app");--> statement-breakpoint
CREATE INDEX "deals_dataset_idx" ON "deals" USING btree ("dataset");--> statement-breakpoint
CREATE INDEX "deals_requester_idx" ON "deals" USING btree ("requester");--> statement-breakpoint
CREATE INDEX "orders_kind_subject_idx" ON "orders" USING btree ("kind","subject","published_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "orders_app_idx" ON "orders" USING btree ("app","kind");--> statement-breakpoint
CREATE INDEX "orders_dataset_idx" ON "orders" USING btree ("dataset","kind");--> statement-breakpoint
CREATE INDEX "orders_requester_idx" ON "orders" USING btree ("requester","kind");--> statement-breakpoint
CREATE INDEX "orders_open_price_idx" ON "orders" USING btree ("kind","status","price");--> statement-breakpoint
CREATE INDEX "orders_open_newest_idx" ON "orders" USING btree ("kind","status","published_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "protected_data_owner_idx" ON "protected_data" USING btree ("owner","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "protected_data_schema_idx" ON "protected_data" USING gin ("schema");--> statement-breakpoint
CREATE INDEX "rewards_account_idx" ON "rewards" USING btree ("account");--> statement-breakpoint
CREATE INDEX "rewards_task_idx" ON "rewards" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "sessions_address_idx" ON "sessions" USING btree ("address");--> statement-breakpoint
CREATE INDEX "tasks_deal_idx" ON "tasks" USING btree ("deal_id");