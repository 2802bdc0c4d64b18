CREATE TABLE "protected_data_schema_entries" (
	"entry" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_block" bigint NOT NULL,
	"address" text NOT NULL,
	CONSTRAINT "protected_data_schema_entries_entry_created_at_created_block_address_pk" PRIMARY KEY("entry","created_at","created_block","address")
);
--> statement-breakpoint
ALTER TABLE "protected_data_schema_entries" ADD CONSTRAINT "protected_data_schema_entries_address_protected_data_address_fk" FOREIGN KEY ("address") REFERENCES "public"."protected_data"("address") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "protected_data_schema_entries_address_idx" ON "protected_data_schema_entries" USING btree ("address");