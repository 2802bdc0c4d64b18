import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Header, pack } from 'tar-stream';
import { canonicalJson, digestOf, mediaTypes, openImage, type StoredImage } from '../src/index.js';

/** A tar entry made by hand, with whatever header a test needs (unsafe ones included). */
export type RawEntry = Partial<Header> & { name: string; data?: Uint8Array | string };

/** A tar of the entries as given, in order: what a hostile or unusual layer may hold. */
export async function rawTar(entries: readonly RawEntry[]): Promise<Uint8Array> {
  const archive = pack();
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Uint8Array);
  })();
  for (const { data, ...header } of entries) {
    const type = header.type ?? 'file';
    if (type === 'file') archive.entry({ mode: 0o644, ...header, type, mtime: new Date(0) }, data ?? '');
    else archive.entry({ mode: type === 'directory' ? 0o755 : 0o777, ...header, type, mtime: new Date(0) });
  }
  archive.finalize();
  await collected;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Writes an image of these layers (gzipped when asked) into a store, and opens it. */
export async function storeLayers(storeDir: string, layers: readonly { tar: Uint8Array; gzip?: boolean }[]): Promise<StoredImage> {
  await mkdir(join(storeDir, 'blobs', 'sha256'), { recursive: true });
  const put = async (bytes: Uint8Array) => {
    const digest = digestOf(bytes);
    await writeFile(join(storeDir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const descriptors = [];
  for (const layer of layers) {
    const bytes = layer.gzip ? new Uint8Array(gzipSync(layer.tar)) : layer.tar;
    descriptors.push({ mediaType: layer.gzip ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer, ...(await put(bytes)) });
  }
  const config = new TextEncoder().encode(
    canonicalJson({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((layer) => digestOf(layer.tar)) } }),
  );
  const manifest = new TextEncoder().encode(
    canonicalJson({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: mediaTypes.ociConfig, ...(await put(config)) },
      layers: descriptors,
    }),
  );
  return openImage({ storeDir, digest: (await put(manifest)).digest });
}
