import { z } from 'zod';
import { StorageRequestError } from './errors.js';
import { KUBO_DEFAULTS, type KuboImportSettings } from './kuboImport.js';

/** Go's strconv.ParseBool, which kubo uses for its flags; a bare `?flag` means true. */
const flag = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['', '1', 't', 'true', '0', 'f', 'false'], { message: 'must be true or false' }))
  .transform((value) => ['', '1', 't', 'true'].includes(value));
const onlyFalse = (what: string) => flag.refine((value) => !value, { message: `is not supported by the devnet storage (${what})` });

// Options that change the CID are refused unless they name kubo's default; the others are accepted and ignored.
const schema = z.object({
  'cid-version': z.enum(['0', '1'], { message: 'must be 0 or 1' }).optional(),
  'raw-leaves': flag.optional(),
  chunker: z
    .string()
    .regex(/^size-\d+$/, { message: 'must be size-<bytes> (the rabin and buzhash chunkers are not supported)' })
    .transform((value) => Number(value.slice('size-'.length)))
    .pipe(
      z
        .number()
        .int()
        .min(1, { message: 'must be at least size-1' })
        .max(1_048_576, { message: 'must be at most size-1048576, like kubo' }),
    )
    .optional(),
  hash: z.literal('sha2-256', { message: 'must be sha2-256 (the only hash the devnet storage uses)' }).optional(),
  trickle: onlyFalse('only the balanced layout').optional(),
  'wrap-with-directory': onlyFalse('files only, no directories').optional(),
  'only-hash': onlyFalse('every add stores the file').optional(),
  inline: onlyFalse('no inlined blocks').optional(),
  pin: flag.optional(),
  progress: flag.optional(),
});

/**
 * The import settings of a `POST /api/v0/add` from its query, as kubo reads them: `cid-version`
 * (0 by default; 1 implies `raw-leaves` unless it is given), `raw-leaves`, `chunker=size-N`.
 * `pin`, `progress` and unknown options are ignored; options that would change the CID to something
 * the devnet cannot build (another hash, layout or chunker, a wrapping directory) are refused.
 *
 * @example
 * parseAddParams(new URLSearchParams('cid-version=1')); // { cidVersion: 1, rawLeaves: true, chunkSize: 262144 }
 */
export function parseAddParams(query: URLSearchParams): KuboImportSettings {
  const parsed = schema.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
    throw new StorageRequestError(
      `invalid add options: ${problems}`,
      "Use kubo's defaults, or cid-version=1, raw-leaves and chunker=size-<bytes>.",
    );
  }
  const cidVersion = parsed.data['cid-version'] === '1' ? 1 : 0;
  return {
    cidVersion,
    rawLeaves: parsed.data['raw-leaves'] ?? cidVersion === 1,
    chunkSize: parsed.data.chunker ?? KUBO_DEFAULTS.chunkSize,
  };
}
