-- Keeps workerpool_order_counts (0010) equal to the number of live workerpool orders open to
-- everyone (status open, published, not used up, no expiry, no app, dataset or requester
-- restriction) by workerpool, category and tag: each change of an order takes its old state out
-- and puts its new state in.
CREATE FUNCTION workerpool_order_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.kind = 'workerpool' AND OLD.status = 'open' AND OLD.unpublished_at IS NULL
     AND OLD.consumed < OLD.volume AND OLD.expires_at IS NULL
     AND OLD.app IS NULL AND OLD.dataset IS NULL AND OLD.requester IS NULL THEN
    UPDATE workerpool_order_counts SET n = n - 1
    WHERE workerpool = OLD.subject AND category = coalesce(OLD.category, -1) AND tag = OLD.tag;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.kind = 'workerpool' AND NEW.status = 'open' AND NEW.unpublished_at IS NULL
     AND NEW.consumed < NEW.volume AND NEW.expires_at IS NULL
     AND NEW.app IS NULL AND NEW.dataset IS NULL AND NEW.requester IS NULL THEN
    INSERT INTO workerpool_order_counts (workerpool, category, tag, n) VALUES (NEW.subject, coalesce(NEW.category, -1), NEW.tag, 1)
    ON CONFLICT (workerpool, category, tag) DO UPDATE SET n = workerpool_order_counts.n + 1;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER workerpool_order_counts_follow AFTER INSERT OR UPDATE OR DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION workerpool_order_counts_follow();--> statement-breakpoint
INSERT INTO workerpool_order_counts (workerpool, category, tag, n)
SELECT subject, coalesce(category, -1), tag, count(*) FROM orders
WHERE kind = 'workerpool' AND status = 'open' AND unpublished_at IS NULL AND consumed < volume AND expires_at IS NULL
  AND app IS NULL AND dataset IS NULL AND requester IS NULL
GROUP BY subject, coalesce(category, -1), tag;
