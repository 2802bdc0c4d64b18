-- The catalogue's full-text search document of an app: title and name first, then tags, then the
-- description, then the publisher's address. A trigger rather than a generated column, because
-- array_to_string is not immutable.
CREATE FUNCTION apps_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search :=
    setweight(to_tsvector('english', coalesce(NEW.title, '') || ' ' || coalesce(NEW.name, '')), 'A') ||
    setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C') ||
    setweight(to_tsvector('simple', NEW.owner), 'D');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER apps_search_document BEFORE INSERT OR UPDATE OF title, name, tags, description, owner ON apps
  FOR EACH ROW EXECUTE FUNCTION apps_search_document();
