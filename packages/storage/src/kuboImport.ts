import type { AddOptions } from '@helia/unixfs';

type Chunker = NonNullable<AddOptions['chunker']>;
type FileLayout = NonNullable<AddOptions['layout']>;
type Node = Parameters<Parameters<FileLayout>[1]>[0][number];

/** How `ipfs add` builds a file's DAG; kubo's defaults are in {@link KUBO_DEFAULTS}. */
export type KuboImportSettings = {
  cidVersion: 0 | 1;
  /** Leaves as raw blocks instead of dag-pb UnixFS nodes. */
  rawLeaves: boolean;
  /** Fixed chunk size in bytes (kubo's `--chunker=size-N`). */
  chunkSize: number;
};

/** What kubo does without options: CIDv0, dag-pb leaves, 256 KiB chunks (and 174 links per node). */
export const KUBO_DEFAULTS: KuboImportSettings = { cidVersion: 0, rawLeaves: false, chunkSize: 262_144 };

/** kubo's balanced layout puts at most this many links in a node. */
const MAX_CHILDREN = 174;

/**
 * Importer options for @helia/unixfs that build the same DAG as kubo's `ipfs add` with the same
 * settings, with leaves of the `file` UnixFS type, a fixed-size chunker and the balanced layout.
 *
 * @example
 * const cid = await fs.addByteStream(bytes, kuboImportOptions(KUBO_DEFAULTS));
 */
export function kuboImportOptions(settings: KuboImportSettings): AddOptions {
  return {
    cidVersion: settings.cidVersion,
    rawLeaves: settings.rawLeaves,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    chunker: fixedSizeChunker(settings.chunkSize),
    layout: balancedLayout(MAX_CHILDREN),
  };
}

/** Cuts a byte stream into chunks of exactly `size` bytes (the last one shorter, or empty for an empty stream). */
function fixedSizeChunker(size: number): Chunker {
  return async function* chunk(source) {
    let buffer = new Uint8Array(size);
    let filled = 0;
    let emitted = false;
    for await (const bytes of source) {
      for (let offset = 0; offset < bytes.length; ) {
        const taken = Math.min(size - filled, bytes.length - offset);
        buffer.set(bytes.subarray(offset, offset + taken), filled);
        filled += taken;
        offset += taken;
        if (filled === size) {
          yield buffer;
          emitted = true;
          buffer = new Uint8Array(size);
          filled = 0;
        }
      }
    }
    if (filled > 0 || !emitted) yield buffer.slice(0, filled);
  };
}

/**
 * kubo's balanced layout: leaves are grouped by `maxChildren` under parent nodes, parents likewise,
 * until one root remains. Each batch is reduced as soon as it is full, so only one batch of
 * leaves is ever held.
 */
function balancedLayout(maxChildren: number): FileLayout {
  return async function layout(source: Parameters<FileLayout>[0], reduce: Parameters<FileLayout>[1]): Promise<Node> {
    const parents: Node[] = [];
    let batch: Node[] = [];
    for await (const node of source) {
      batch.push(withoutData(node));
      if (batch.length === maxChildren) {
        parents.push(await reduce(batch));
        batch = [];
      }
    }
    if (batch.length > 0 || parents.length === 0) parents.push(await reduce(batch));
    return parents.length > 1 ? layout(parents, reduce) : (parents[0] as Node);
  };
}

/**
 * A dag-pb leaf arrives with its chunk still attached, though it is already stored; a batch of 174
 * such leaves would hold 44 MiB. The parent only needs the chunk's length, which the importer reads
 * from `blockSizes` when `data` is gone, so the chunk is dropped here. A lone leaf (the whole file)
 * keeps it: it becomes the root as it is.
 */
function withoutData(node: Node): Node {
  const unixfs = node.unixfs;
  if (unixfs?.data === undefined || ('single' in node && node.single)) return node;
  unixfs.blockSizes = [BigInt(unixfs.data.length)];
  unixfs.data = undefined;
  return node;
}
