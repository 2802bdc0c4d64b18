-- A protected data's schema as the DataProtector subgraph's SchemaEntry ids: one `path:type` text per
-- field, nested keys joined with dots ({"a":{"b":"string"}} -> {a.b:string}). Immutable, so that
-- protected_data.schema_entries (0005) can be a generated column with a GIN index: `schema_contains`
-- is then an exact array containment instead of a nested jsonb containment that GIN can only
-- approximate (it indexes keys and values apart, so every candidate row had to be rechecked).
CREATE FUNCTION protected_data_schema_entries(schema jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH RECURSIVE field(path, value) AS (
    SELECT key, value FROM jsonb_each(CASE WHEN jsonb_typeof(schema) = 'object' THEN schema ELSE '{}'::jsonb END)
    UNION ALL
    SELECT field.path || '.' || nested.key, nested.value
    FROM field, jsonb_each(CASE WHEN jsonb_typeof(field.value) = 'object' THEN field.value ELSE '{}'::jsonb END) AS nested
  )
  SELECT coalesce(array_agg(path || ':' || (value #>> '{}') ORDER BY path), '{}'::text[]) FROM field WHERE jsonb_typeof(value) = 'string'
$$;
