CREATE INDEX "deals_app_order_idx" ON "deals" USING btree ("app_order_hash");--> statement-breakpoint
CREATE INDEX "deals_dataset_order_idx" ON "deals" USING btree ("dataset_order_hash");--> statement-breakpoint
CREATE INDEX "deals_workerpool_order_idx" ON "deals" USING btree ("workerpool_order_hash");--> statement-breakpoint
CREATE INDEX "deals_request_order_idx" ON "deals" USING btree ("request_order_hash");