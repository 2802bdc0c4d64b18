import { z } from 'zod';

const digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'a sha256 digest (sha256: and 64 lowercase hex digits)');

/** A content descriptor: what a manifest says of each blob it names. */
export const descriptorSchema = z.looseObject({
  mediaType: z.string().min(1),
  digest,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  urls: z.array(z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

/**
 * An image manifest (OCI, or Docker's v2 schema 2 which has the same shape); unknown fields are kept.
 *
 * @example
 * const manifest = imageManifestSchema.parse(JSON.parse(text));
 */
export const imageManifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema).max(1000),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageManifest = z.infer<typeof imageManifestSchema>;

/** An image index (OCI) or manifest list (Docker): one manifest per platform. */
export const imageIndexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(
    descriptorSchema.extend({
      platform: z.looseObject({ architecture: z.string(), os: z.string(), variant: z.string().optional() }).optional(),
    }),
  ),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageIndex = z.infer<typeof imageIndexSchema>;

/** How the image runs: the part of its config a runtime reads. */
const containerConfigSchema = z.looseObject({
  Entrypoint: z.array(z.string()).nullish(),
  Cmd: z.array(z.string()).nullish(),
  WorkingDir: z.string().optional(),
  Env: z.array(z.string()).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
  User: z.string().optional(),
});

/** An image's configuration blob (OCI image-spec config.md). */
export const imageConfigSchema = z.looseObject({
  architecture: z.string(),
  os: z.string(),
  variant: z.string().optional(),
  created: z.string().optional(),
  config: containerConfigSchema.optional(),
  rootfs: z.object({ type: z.literal('layers'), diff_ids: z.array(digest) }),
  history: z.array(z.looseObject({})).optional(),
});
export type ImageConfig = z.infer<typeof imageConfigSchema>;

/** A registry's refusal body (distribution-spec "Error Codes"). */
export const registryErrorsSchema = z.object({
  errors: z.array(z.looseObject({ code: z.string(), message: z.string().optional() })).min(1),
});

/** A token service's answer (Docker's token auth: `token`, or OAuth's `access_token`). */
export const registryTokenSchema = z
  .looseObject({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional() })
  .refine((answer) => answer.token !== undefined || answer.access_token !== undefined, 'a token');
