import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Devnet, startDevnet } from '@confidant/devnet';
import { dataProtectorArtifact } from '@confidant/local-chain';
import { type Address, type Hex, keccak256, sha256, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLClient, graphQLClientOf } from './devnetIexec.js';

// `@iexec/dataprotector`'s own getProtectedData (unchanged, read from its dist: the package exports
// only its entry) builds the DataProtector-subgraph query and reads the answer; here it asks the
// devnet API's subgraph endpoint (`subgraphUrl` = <api origin>/subgraphs/dataprotector).

const require = createRequire(import.meta.url);

type GetProtectedData = (options: {
  graphQLClient: GraphQLClient;
  owner?: string;
  requiredSchema?: Record<string, unknown>;
  protectedDataAddress?: string;
  page?: number;
  pageSize?: number;
}) => Promise<{ name: string; address: string; owner: string; schema: Record<string, unknown>; multiaddr?: string }[]>;

async function sdkGetProtectedData(): Promise<GetProtectedData> {
  const entry = require.resolve('@iexec/dataprotector');
  const file = join(dirname(entry), 'lib', 'dataProtectorCore', 'getProtectedData.js');
  return ((await import(pathToFileURL(file).href)) as { getProtectedData: GetProtectedData }).getProtectedData;
}

let devnet: Devnet;
let getProtectedData: GetProtectedData;
let subgraphUrl: string;
beforeAll(async () => {
  [devnet, getProtectedData] = await Promise.all([startDevnet(), sdkGetProtectedData()]);
  subgraphUrl = `http://127.0.0.1:${devnet.api.server.port}/subgraphs/dataprotector`;
}, 120_000);
afterAll(() => devnet?.stop());

const graphQLClient = graphQLClientOf(() => subgraphUrl);

/** createDatasetWithSchema on the devnet's DataProtector, as the SDK's protectData calls it. */
async function protect(name: string, schema: object): Promise<Address> {
  const chain = devnet.chain;
  const client = chain.client('dataOwner');
  const multiaddr: Hex = `0xa503221220${sha256(stringToHex(name)).slice(2)}`;
  const { result, request } = await client.publicClient.simulateContract({
    account: chain.accounts.dataOwner.account,
    address: chain.dataProtector,
    abi: dataProtectorArtifact().abi,
    functionName: 'createDatasetWithSchema',
    args: [chain.accounts.dataOwner.address, name, JSON.stringify(schema), multiaddr, keccak256(stringToHex(name))],
  });
  await client.publicClient.waitForTransactionReceipt({ hash: await client.walletClient!.writeContract(request) });
  await devnet.api.indexer.waitForBlock(await client.publicClient.getBlockNumber());
  return (result as Address).toLowerCase() as Address;
}

describe("iExec's getProtectedData on Confidant's DataProtector subgraph", () => {
  it('finds protected data by owner, required schema and address', async () => {
    const mail = await protect('subgraph-compat-mail', { email: 'string', file: 'application/pdf' });
    const home = await protect('subgraph-compat-home', { email: 'string', address: { city: 'string' } });
    const owner = devnet.chain.accounts.dataOwner.address.toLowerCase();

    const mine = await getProtectedData({ graphQLClient, owner });
    expect(mine.map((p) => p.address)).toEqual(expect.arrayContaining([mail, home]));
    const nested = await getProtectedData({ graphQLClient, owner, requiredSchema: { address: { city: 'string' } } });
    expect(nested.map((p) => p.address)).toEqual([home]);
    expect(nested[0]).toMatchObject({ name: 'subgraph-compat-home', owner, schema: { email: 'string', address: { city: 'string' } } });
    expect(nested[0]?.multiaddr).toMatch(/^\/p2p\//);
    const anyOf = await getProtectedData({ graphQLClient, requiredSchema: { file: ['application/pdf', 'image/png'] } });
    expect(anyOf.map((p) => p.address)).toContain(mail);
    const byAddress = await getProtectedData({ graphQLClient, protectedDataAddress: mail });
    expect(byAddress.map((p) => p.schema)).toEqual([{ email: 'string', file: 'application/pdf' }]);
    const paged = await getProtectedData({ graphQLClient, owner, page: 0, pageSize: 10 });
    expect(paged.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
