CREATE TABLE "workerpool_order_counts" (
	"workerpool" text COLLATE "C" NOT NULL,
	"category" integer NOT NULL,
	"tag" text COLLATE "C" NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "workerpool_order_counts_workerpool_category_tag_pk" PRIMARY KEY("workerpool","category","tag")
);
