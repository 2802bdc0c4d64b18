import { createHash, type Hash, randomUUID } from 'node:crypto';
import { open, rm, truncate, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { DistributionError } from './errors.js';
import type { RegistryStore } from './registryStore.js';

/** An upload in progress: its bytes so far on disk, hashed as they arrived. */
export type Upload = {
  id: string;
  /** The repository it was started for. */
  name: string;
  file: string;
  size: number;
  hash: Hash;
  /** A request is writing to it: another one is refused rather than interleaved. */
  busy: boolean;
};

/** Uploads in progress, kept in memory: a restart forgets them (the client starts again), never a blob. */
export type Uploads = ReturnType<typeof createUploads>;

/**
 * The registry's uploads: started, appended to (streamed to disk and hashed, never held in
 * memory), then completed into a blob when the digest matches, or removed.
 *
 * @example
 * const upload = await uploads.start('confidant/hello');
 * await uploads.append(upload, request);
 * await uploads.complete(upload, 'sha256:…');
 */
export function createUploads(store: RegistryStore, maxBlobBytes: number) {
  const sessions = new Map<string, Upload>();
  const remove = async (upload: Upload) => {
    sessions.delete(upload.id);
    await rm(upload.file, { force: true });
  };
  return {
    async start(name: string): Promise<Upload> {
      const id = randomUUID();
      const upload: Upload = { id, name, file: join(store.uploadsDir, id), size: 0, hash: createHash('sha256'), busy: false };
      await writeFile(upload.file, new Uint8Array(0), { flag: 'wx' });
      sessions.set(id, upload);
      return upload;
    },
    /** The upload of this repository with this id, or BLOB_UPLOAD_UNKNOWN. */
    find(name: string, id: string): Upload {
      const upload = sessions.get(id);
      if (!upload || upload.name !== name)
        throw new DistributionError('BLOB_UPLOAD_UNKNOWN', `no upload ${id.slice(0, 80)} is in progress for ${name}`, {
          hint: 'Start the upload again with POST /v2/<name>/blobs/uploads/ (uploads do not survive a restart).',
        });
      return upload;
    },
    remove,
    /** Appends the request's body: whole or not at all (a cut request leaves the upload as it was); past the size limit the upload is dropped. */
    async append(upload: Upload, request: IncomingMessage): Promise<number> {
      if (upload.busy)
        throw new DistributionError('BLOB_UPLOAD_INVALID', 'another request is writing to this upload', {
          status: 416,
          headers: rangeHeaders(upload),
        });
      upload.busy = true;
      try {
        return await appendBody(upload, request, maxBlobBytes);
      } catch (error) {
        if (error instanceof DistributionError && error.status === 413) await remove(upload);
        throw error;
      } finally {
        upload.busy = false;
      }
    },
    /** Turns the upload into the blob of `digest`, or refuses with DIGEST_INVALID (and drops it: nothing unverified is kept). */
    async complete(upload: Upload, digest: string): Promise<void> {
      const actual = `sha256:${upload.hash.copy().digest('hex')}`;
      if (actual !== digest) {
        await remove(upload);
        throw new DistributionError('DIGEST_INVALID', `the upload's digest is ${actual}, not ${digest}`, {
          detail: { expected: digest, actual },
          hint: 'Upload the blob again, with the sha256 of all its bytes as digest.',
        });
      }
      const handle = await open(upload.file, 'r+');
      await handle.sync().finally(() => handle.close());
      sessions.delete(upload.id);
      if ((await store.blobSize(digest)) === undefined) await store.commitBlob(upload.file, digest);
      else await rm(upload.file, { force: true });
    },
  };
}

/**
 * `Range: 0-<last byte>` (0-0 when empty, as distribution answers), with the upload's Location.
 *
 * @example
 * res.writeHead(202, rangeHeaders(upload)).end();
 */
export function rangeHeaders(upload: Upload): Record<string, string> {
  return {
    location: `/v2/${upload.name}/blobs/uploads/${upload.id}`,
    range: `0-${Math.max(0, upload.size - 1)}`,
    'docker-upload-uuid': upload.id,
  };
}

async function appendBody(upload: Upload, request: IncomingMessage, maxBlobBytes: number): Promise<number> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (upload.size + declared > maxBlobBytes) throw tooLarge(maxBlobBytes);
  const before = { size: upload.size, hash: upload.hash.copy() };
  const handle = await open(upload.file, 'a');
  try {
    // Not destroyed when left early: the refusal still has to reach the client.
    for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      if (upload.size + chunk.length > maxBlobBytes) throw tooLarge(maxBlobBytes);
      await handle.write(chunk);
      upload.hash.update(chunk);
      upload.size += chunk.length;
    }
    return upload.size - before.size;
  } catch (error) {
    upload.size = before.size;
    upload.hash = before.hash;
    await truncate(upload.file, before.size).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

function tooLarge(maxBlobBytes: number): DistributionError {
  return new DistributionError('SIZE_INVALID', `the blob is over this registry's limit of ${maxBlobBytes} bytes`, {
    status: 413,
    detail: { limit: maxBlobBytes },
    hint: 'Make the image smaller, or start the registry with a higher maxBlobBytes.',
    closeConnection: true,
  });
}
