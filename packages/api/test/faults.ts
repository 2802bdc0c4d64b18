import type { Database } from '@confidant/db';

/**
 * The same database, except that inside transactions every `insert`/`update` first goes through
 * `intercept` (which may throw to simulate a failure at that exact write).
 */
export function interceptTransactionWrites(db: Database, intercept: (method: 'insert' | 'update', table: unknown) => void): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property !== 'transaction') return Reflect.get(target, property);
      return (fn: (tx: Database) => Promise<unknown>) =>
        target.transaction((tx) =>
          fn(
            new Proxy(tx as unknown as Database, {
              get(inner, name) {
                const value = Reflect.get(inner, name);
                if (name === 'insert' || name === 'update') {
                  return (table: unknown) => {
                    intercept(name, table);
                    return (value as (t: unknown) => unknown).call(inner, table);
                  };
                }
                return typeof value === 'function' ? value.bind(inner) : value;
              },
            }),
          ),
        );
    },
  });
}
