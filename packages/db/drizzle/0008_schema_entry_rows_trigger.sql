-- Keeps protected_data_schema_entries (0007) equal to each protected data's schema_entries, with its
-- creation time and block: rows are replaced whenever those change (an AFTER trigger sees the
-- generated column's new value); deleting a protected data cascades.
CREATE FUNCTION protected_data_schema_entry_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM protected_data_schema_entries WHERE address = OLD.address;
  END IF;
  IF NEW.schema IS NOT NULL THEN
    INSERT INTO protected_data_schema_entries (entry, created_at, created_block, address)
    SELECT DISTINCT entry, NEW.created_at, NEW.created_block, NEW.address FROM unnest(NEW.schema_entries) AS entry;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER protected_data_schema_entry_rows AFTER INSERT OR UPDATE OF schema, created_at, created_block, address ON protected_data
  FOR EACH ROW EXECUTE FUNCTION protected_data_schema_entry_rows();--> statement-breakpoint
INSERT INTO protected_data_schema_entries (entry, created_at, created_block, address)
SELECT DISTINCT entry, created_at, created_block, address FROM protected_data, unnest(schema_entries) AS entry WHERE schema IS NOT NULL;--> statement-breakpoint
ANALYZE protected_data_schema_entries;
