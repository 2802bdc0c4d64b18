// An independent, minimal statement of how kubo's `ipfs add` (default settings, CIDv0) names a file,
// written from the dag-pb and UnixFS specs rather than with the importer under test. The tests first
// check it against CIDs that kubo itself produced, then use it where no published kubo CID exists.
import { createHash } from 'node:crypto';
import { CID } from 'multiformats/cid';
import { create as createDigest, type Digest } from 'multiformats/hashes/digest';

const SHA2_256 = 0x12;
const MAX_LINKS = 174;

type Node = { multihash: Digest<typeof SHA2_256, number>; tsize: number; fileSize: number };

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return Uint8Array.from(bytes);
}

const concat = (...parts: Uint8Array[]) => Buffer.concat(parts);
/** A protobuf length-delimited field (wire type 2). */
const bytesField = (field: number, bytes: Uint8Array) => concat(varint((field << 3) | 2), varint(bytes.length), bytes);
/** A protobuf varint field (wire type 0). */
const varintField = (field: number, value: number) => concat(varint(field << 3), varint(value));

function store(block: Uint8Array, fileSize: number, childrenTsize: number): Node {
  const digest = createHash('sha256').update(block).digest();
  return { multihash: createDigest(SHA2_256, digest), tsize: block.length + childrenTsize, fileSize };
}

/** A leaf: PBNode { Data: UnixFS { Type: File, Data: chunk, filesize } }. */
function leaf(chunk: Uint8Array): Node {
  const unixfs = concat(varintField(1, 2), chunk.length > 0 ? bytesField(2, chunk) : new Uint8Array(), varintField(3, chunk.length));
  return store(bytesField(1, unixfs), chunk.length, 0);
}

/** A parent: PBNode { Links: [{ Hash, Name: "", Tsize }], Data: UnixFS { Type: File, filesize, blocksizes } }. */
function parent(children: Node[]): Node {
  const fileSize = children.reduce((sum, child) => sum + child.fileSize, 0);
  const unixfs = concat(varintField(1, 2), varintField(3, fileSize), ...children.map((child) => varintField(4, child.fileSize)));
  const links = children.map((child) =>
    bytesField(2, concat(bytesField(1, child.multihash.bytes), bytesField(2, new Uint8Array()), varintField(3, child.tsize))),
  );
  const block = concat(...links, bytesField(1, unixfs));
  return store(
    block,
    fileSize,
    children.reduce((sum, child) => sum + child.tsize, 0),
  );
}

/**
 * The CID and DAG size kubo gives a file with `ipfs add --cid-version=0 --chunker=size-<chunkSize>`
 * (balanced layout, 174 links per node), for content given as chunks of any sizes.
 */
export function kuboReferenceAdd(content: Iterable<Uint8Array>, chunkSize = 262_144): { cid: string; size: number } {
  let level: Node[] = [];
  let pending = Buffer.alloc(0);
  for (const bytes of content) {
    pending = Buffer.concat([pending, bytes]);
    while (pending.length >= chunkSize) {
      level.push(leaf(pending.subarray(0, chunkSize)));
      pending = pending.subarray(chunkSize);
    }
  }
  if (pending.length > 0 || level.length === 0) level.push(leaf(pending));
  while (level.length > 1) {
    const next: Node[] = [];
    for (let i = 0; i < level.length; i += MAX_LINKS) next.push(parent(level.slice(i, i + MAX_LINKS)));
    level = next;
  }
  const root = level[0] as Node;
  return { cid: CID.createV0(root.multihash).toString(), size: root.tsize };
}
