import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDb } from '@confidant/db/testing';
import { dataProtectorArtifact, type LocalChain, startLocalChain } from '@confidant/local-chain';
import { type Address, type Hex, keccak256, sha256, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../src/startApi.js';
import { createSubgraphHandler, SUBGRAPH_PATH } from '../src/subgraph/handler.js';

// The query of @iexec/dataprotector's getProtectedData
// (dist/src/lib/dataProtectorCore/getProtectedData.js, 2.0.0-beta.27).
const SDK_QUERY = `
      query ($start: Int!, $range: Int!, $where: ProtectedData_filter) {
        protectedDatas(
          where: $where
          skip: $start
          first: $range
          orderBy: creationTimestamp
          orderDirection: desc
        ) {
          id
          name
          owner {
            id
          }
          schema {
            id
          }
          creationTimestamp
          multiaddr
        }
      }
    `;

const FULL_QUERY = `query ($where: ProtectedData_filter, $skip: Int, $first: Int) {
  protectedDatas(where: $where, skip: $skip, first: $first, orderBy: id, orderDirection: asc) {
    id name owner { id } schema { id path type } creationTimestamp multiaddr checksum transactionHash
  }
}`;

type Entry = { id: string; name: string; owner: { id: string }; schema: { id: string; path?: string; type?: string }[]; multiaddr: string };
type Answer = { status: number; data?: { protectedDatas: Entry[] } | null; errors?: { message: string }[] };

let chain: LocalChain;
let api: Api;
let url: string;
const created: Record<string, Address> = {};

async function query(text: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

/** createDatasetWithSchema as @iexec/dataprotector's protectData calls it (the signer owns the data). */
async function protectData(signer: 'dataOwner' | 'publisher', name: string, schema: string): Promise<Address> {
  const client = chain.client(signer);
  const multiaddr: Hex = `0xa503221220${sha256(stringToHex(name)).slice(2)}`;
  const { result, request } = await client.publicClient.simulateContract({
    account: chain.accounts[signer].account,
    address: chain.dataProtector,
    abi: dataProtectorArtifact().abi,
    functionName: 'createDatasetWithSchema',
    args: [chain.accounts[signer].address, name, schema, multiaddr, keccak256(stringToHex(name))],
  });
  const hash = await client.walletClient!.writeContract(request);
  await client.publicClient.waitForTransactionReceipt({ hash });
  return (result as Address).toLowerCase() as Address;
}

beforeAll(async () => {
  chain = await startLocalChain();
  api = await startApi({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    dataProtector: chain.dataProtector,
    database: await createTestDb(),
    indexerStartBlock: chain.startBlock,
    cacheTtlMs: 0,
  });
  url = `${new URL(api.url).origin}${SUBGRAPH_PATH}`;
  created.mail = await protectData('dataOwner', 'mail', JSON.stringify({ email: 'string', file: 'application/pdf' }));
  created.home = await protectData('dataOwner', 'home', JSON.stringify({ email: 'string', address: { city: 'string', zip: 'f64' } }));
  created.other = await protectData('publisher', 'other', JSON.stringify({ email: 'bool' }));
  created.bad = await protectData('publisher', 'bad', 'not a schema');
  await api.indexer.waitForBlock(await chain.client().publicClient.getBlockNumber());
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await chain?.stop();
});

describe('DataProtector subgraph', () => {
  it('answers the SDK query by owner, newest first, with the schema as path:type entries', async () => {
    const owner = chain.accounts.dataOwner.address.toLowerCase();
    const answer = await query(SDK_QUERY, { start: 0, range: 1000, where: { and: [{ owner }] } });
    expect(answer.status).toBe(200);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const list = answer.data?.protectedDatas ?? [];
    expect(list.map((p) => p.id)).toEqual([created.home, created.mail]);
    expect(list[0]?.owner.id).toBe(owner);
    expect(list[0]?.schema.map((s) => s.id).sort()).toEqual(['address.city:string', 'address.zip:f64', 'email:string']);
    expect(list[0]?.multiaddr).toMatch(/^0xa503221220[0-9a-f]{64}$/);
  });

  it('filters by required schema paths, nested, and by one of several types', async () => {
    const nested = await query(SDK_QUERY, {
      start: 0,
      range: 10,
      where: { and: [{ schema_contains: ['address.city:string', 'email:string'] }] },
    });
    expect(nested.data?.protectedDatas.map((p) => p.id)).toEqual([created.home]);
    const anyOf = await query(SDK_QUERY, {
      start: 0,
      range: 10,
      where: { and: [{ or: [{ schema_contains: ['email:bool'] }, { schema_contains: ['file:application/pdf'] }] }] },
    });
    expect(anyOf.data?.protectedDatas.map((p) => p.id).sort()).toEqual([created.other, created.mail].sort());
    const none = await query(SDK_QUERY, { start: 0, range: 10, where: { schema_contains: ['email:string', 'email:bool'] } });
    expect(none.data?.protectedDatas).toEqual([]);
    // Newest first by one entry's rows, paged; the other filters still apply.
    const byEntry = (start: number, range: number, more: object[] = []) =>
      query(SDK_QUERY, { start, range, where: { and: [{ schema_contains: ['email:string'] }, ...more] } }).then((answer) =>
        answer.data?.protectedDatas.map((p) => p.id),
      );
    expect(await byEntry(0, 10)).toEqual([created.home, created.mail]);
    expect(await byEntry(1, 1)).toEqual([created.mail]);
    expect(await byEntry(0, 10, [{ name: 'mail' }])).toEqual([created.mail]);
  });

  it('filters by id, id_in, creation time and transaction, selecting every field', async () => {
    const byId = await query(SDK_QUERY, { start: 0, range: 10, where: { and: [{ id: created.other }] } });
    expect(byId.data?.protectedDatas.map((p) => p.name)).toEqual(['other']);
    const full = await query(FULL_QUERY, {
      where: { id_in: [created.mail, created.other], creationTimestamp_gte: 0, transactionHash_not: '0x' },
    });
    const list = full.data?.protectedDatas ?? [];
    expect(list.map((p) => p.id)).toEqual([created.mail, created.other].sort());
    expect(list[0]).toMatchObject({
      checksum: keccak256(stringToHex(list[0]?.name ?? '')),
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    });
    expect(list.find((p) => p.id === created.other)?.schema).toEqual([{ id: 'email:bool', path: 'email', type: 'bool' }]);
    const future = await query(SDK_QUERY, { start: 0, range: 10, where: { creationTimestamp_gte: 4_000_000_000 } });
    expect(future.data?.protectedDatas).toEqual([]);
  });

  it('leaves out a dataset whose schema is not valid JSON', async () => {
    const answer = await query(FULL_QUERY, { where: { id: created.bad } });
    expect(answer.data?.protectedDatas).toEqual([]);
  });

  it('pages with skip and first', async () => {
    const all = (await query(FULL_QUERY, { skip: 0, first: 10 })).data?.protectedDatas.map((p) => p.id) ?? [];
    expect(all).toHaveLength(3);
    const pages = await Promise.all([0, 1, 2].map((skip) => query(FULL_QUERY, { skip, first: 1 })));
    expect(pages.flatMap((page) => page.data?.protectedDatas.map((p) => p.id) ?? [])).toEqual(all);
  });

  it('refuses malformed queries and too deep pages with GraphQL errors, never a 500', async () => {
    const malformed = await query('{ protectedDatas(first: ) { id }');
    expect(malformed.status).toBeLessThan(500);
    expect(malformed.errors?.[0]?.message).toMatch(/Syntax Error/);
    const unknownField = await query('{ protectedDatas { secret } }');
    expect(unknownField.status).toBeLessThan(500);
    expect(unknownField.errors?.length).toBeGreaterThan(0);
    const deep = await query(FULL_QUERY, { skip: 5001, first: 10 });
    expect(deep.status).toBeLessThan(500);
    expect(deep.errors?.[0]?.message).toMatch(/skip.*5000/);
    const wide = await query(FULL_QUERY, { skip: 0, first: 1001 });
    expect(wide.errors?.[0]?.message).toMatch(/first.*1000/);
    const badPath = await query(FULL_QUERY, { where: { schema_contains: ['no-type'] } });
    expect(badPath.errors?.[0]?.message).toMatch(/path:type/);
    const badTime = await query(FULL_QUERY, { where: { creationTimestamp_gte: 'soon' } });
    expect(badTime.errors?.[0]?.message).toMatch(/seconds/);
    // The same malformed document twice: a failed parse is not remembered as a good one.
    expect((await query('{ protectedDatas(first: ) { id }')).errors?.[0]?.message).toMatch(/Syntax Error/);
    const huge = await query(FULL_QUERY, { where: { id_in: Array.from({ length: 8_000 }, () => `0x${'ab'.repeat(20)}`) } });
    expect(huge).toMatchObject({ status: 413, errors: [{ message: expect.stringMatching(/larger than 262144 bytes/) }] });
  });

  it('answers a thrown internal failure as a masked error, and the next query normally', async () => {
    // A real database, closed: every query fails inside the resolver.
    const closed = await createTestDb();
    await closed.close();
    const server = createServer(createSubgraphHandler(closed.db));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${address.port}${SUBGRAPH_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ protectedDatas { id } }' }),
      });
      const body = (await response.json()) as Answer;
      expect(body.errors?.[0]?.message).toBe('Unexpected error.');
      expect(JSON.stringify(body)).not.toMatch(/relation|password|postgres/i);
    } finally {
      server.close();
    }
    expect((await query(FULL_QUERY, { skip: 0, first: 1 })).errors).toBeUndefined();
  });
});
