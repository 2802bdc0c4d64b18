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
