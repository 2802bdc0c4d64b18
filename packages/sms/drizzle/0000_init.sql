CREATE TYPE "public"."sms_secret_kind" AS ENUM('web3', 'web2', 'requester', 'app');--> statement-breakpoint
CREATE TABLE "sms_master_key_check" (
	"id" integer PRIMARY KEY NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"nonce" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_secrets" (
	"kind" "sms_secret_kind" NOT NULL,
	"address" text NOT NULL,
	"name" text NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"nonce" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_secrets_identity_pk" PRIMARY KEY("kind","address","name"),
	CONSTRAINT "sms_secrets_nonce_length" CHECK (octet_length("sms_secrets"."nonce") = 12)
);
