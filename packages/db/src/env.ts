import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
});

/**
 * The database settings from the environment: `DATABASE_URL` selects PostgreSQL, else PGlite.
 *
 * @example
 * const { databaseUrl } = readDbEnv();
 */
export function readDbEnv(source: Record<string, string | undefined> = process.env): { databaseUrl: string | undefined } {
  const parsed = schema.parse({ DATABASE_URL: source.DATABASE_URL || undefined });
  return { databaseUrl: parsed.DATABASE_URL };
}
