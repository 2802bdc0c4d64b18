import type { Database } from '@confidant/db';

/**
 * What `build` makes for a database, made once per database and kept: prepared statements, which
 * cost more to build than to run.
 *
 * @example
 * const byHash = perDatabase((db) => db.select().from(orders).where(eq(orders.hash, sql.placeholder('hash'))).prepare('by_hash'));
 * const [row] = await byHash(db).execute({ hash });
 */
export function perDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let made = built.get(db);
    if (made === undefined) built.set(db, (made = build(db)));
    return made;
  };
}

type Preparable<Result> = {
  prepare(name: string): { execute(): Promise<Result> };
  execute(): Promise<Result>;
};

/** Most shapes of open-ended queries prepared: each statement costs memory in every connection. */
const MAX_PREPARED_SHAPES = 256;

/**
 * A runner for queries of open-ended shape (a GraphQL `where`): the query of each distinct `shape`
 * (a key that decides the statement's text) is prepared (named, so PostgreSQL parses and plans it
 * once per connection) until {@link MAX_PREPARED_SHAPES} shapes are; later ones run unnamed, so
 * that no client can fill the server's memory with statements.
 *
 * @example
 * const run = preparedWhileFew();
 * const rows = await run(shapeOf(where), db.select().from(protectedData).where(filterToSql(where)));
 */
export function preparedWhileFew(): <Result>(shape: string, query: Preparable<Result>) => Promise<Result> {
  const shapes = new Set<string>();
  return (shape, query) => {
    if (!shapes.has(shape) && shapes.size >= MAX_PREPARED_SHAPES) return query.execute();
    shapes.add(shape);
    return query.prepare('open_shape').execute();
  };
}
