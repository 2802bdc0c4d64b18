-- Addresses and hashes compare byte by byte (collation "C", see `hex` in src/schema.ts): every index on
-- them is rebuilt once here.
-- Triggers that name columns (UPDATE OF) pin their type: they are dropped and made again as they were.
DROP TRIGGER apps_search_document ON apps;--> statement-breakpoint
DROP TRIGGER protected_data_schema_entry_rows ON protected_data;--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "app_versions" ALTER COLUMN "app" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "app_versions" ALTER COLUMN "editor" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "apps" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "apps" ALTER COLUMN "owner" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "apps" ALTER COLUMN "checksum" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "apps" ALTER COLUMN "created_tx" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "actor" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "tx_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "deal_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "app" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "dataset" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "workerpool" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "requester" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "beneficiary" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "tag" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "app_order_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "dataset_order_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "workerpool_order_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "request_order_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "deals" ALTER COLUMN "tx_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "indexer_cursor" ALTER COLUMN "last_block_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "market_challenges" ALTER COLUMN "digest" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "market_challenges" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "subject" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "app" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "dataset" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "workerpool" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "requester" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "signer" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "tag" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "protected_data" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "protected_data" ALTER COLUMN "owner" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "protected_data" ALTER COLUMN "checksum" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "protected_data" ALTER COLUMN "created_tx" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "protected_data_schema_entries" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "rewards" ALTER COLUMN "account" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "rewards" ALTER COLUMN "task_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "token_hash" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "task_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "deal_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "result_digest" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "workerpools" ALTER COLUMN "address" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "workerpools" ALTER COLUMN "owner" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
CREATE TRIGGER apps_search_document BEFORE INSERT OR UPDATE OF title, name, tags, description, owner ON apps
  FOR EACH ROW EXECUTE FUNCTION apps_search_document();--> statement-breakpoint
CREATE TRIGGER protected_data_schema_entry_rows AFTER INSERT OR UPDATE OF schema, created_at, created_block, address ON protected_data
  FOR EACH ROW EXECUTE FUNCTION protected_data_schema_entry_rows();
