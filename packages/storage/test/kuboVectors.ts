// CIDs that kubo (go-ipfs) itself gave, with where each was published.
const lorem =
  'Lorem ipsum dolor sit amet, sit enim montes aliquam. Cras non lorem, rhoncus condimentum, irure et ante. Pulvinar suscipit odio ante, ' +
  'et tellus a enim, wisi ipsum, vel rhoncus eget faucibus varius, luctus turpis nibh vel odio nulla pede.';

export type KuboVector = {
  what: string;
  content: string;
  /** The `ipfs add` options, as the RPC's query string. */
  query: string;
  /** The chunk size those options imply, for the reference encoder (CIDv0 only). */
  chunkSize: number;
  cid: string;
  source: string;
};

export const kuboVectors: KuboVector[] = [
  {
    what: '"hello world\\n"',
    content: 'hello world\n',
    query: '',
    chunkSize: 262_144,
    cid: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    source: '`echo "hello world" | ipfs add`, as quoted throughout the IPFS docs',
  },
  {
    what: 'an empty file',
    content: '',
    query: '',
    chunkSize: 262_144,
    cid: 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH',
    source: "kubo's empty file, also in rust-ipfs unixfs/src/file/adder.rs (empty_file)",
  },
  {
    what: '"hello\\n"',
    content: 'hello\n',
    query: '',
    chunkSize: 262_144,
    cid: 'QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN',
    source: 'kubo 0.18.1, test/sharness/t0114-gateway-subdomains/README.md',
  },
  {
    what: '"hello\\n" as CIDv1 (raw leaves implied)',
    content: 'hello\n',
    query: 'cid-version=1',
    chunkSize: 262_144,
    cid: 'bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am',
    source: 'kubo 0.18.1, test/sharness/t0114-gateway-subdomains/README.md',
  },
  {
    what: '"foobar\\n" in 2-byte chunks (a root over 4 leaves)',
    content: 'foobar\n',
    query: 'chunker=size-2',
    chunkSize: 2,
    cid: 'QmRJHYTNvC3hmd9gJQARxLR1QMEincccBV53bBw524yyq6',
    source: 'go-ipfs, quoted in rust-ipfs unixfs/src/file/adder.rs (favourite_multi_block_file)',
  },
  {
    what: 'a 237-byte text in 1-byte chunks (a root over nodes of 174 and 63 leaves)',
    content: lorem,
    query: 'chunker=size-1',
    chunkSize: 1,
    cid: 'QmRQ6NZNUs4JrCT2y7tmCC1wUhjqYuTssB8VXbbN3rMffg',
    source: 'go-ipfs 0.5, quoted in rust-ipfs unixfs/src/file/adder.rs (three_layers)',
  },
];
