import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { datasetRegistryAbi, decodeAssetTransfers, getDataset, transferDataset } from '@confidant/contracts';
import { type Abi, type Address, type Hex, keccak256, parseEventLogs, sha256, stringToHex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataProtectorArtifact, type LocalChain, startLocalChain } from './index.js';

const require = createRequire(import.meta.url);

/** The DataProtector ABI that @iexec/dataprotector calls, read from its package (not exported by it). */
async function clientAbi(): Promise<Abi> {
  const entry = require.resolve('@iexec/dataprotector');
  const file = join(dirname(entry), '..', 'generated', 'abis', 'core', 'interfaces', 'IDataProtector.sol', 'IDataProtector.js');
  return ((await import(pathToFileURL(file).href)) as { ABI: Abi }).ABI;
}

/** A `/p2p/<cid>` multiaddr in binary form, as the client encodes an IPFS upload. */
const p2pMultiaddr = (text: string): Hex => `0xa503221220${sha256(stringToHex(text)).slice(2)}`;

let abi: Abi;
let chain: LocalChain;
beforeAll(async () => {
  [abi, chain] = await Promise.all([clientAbi(), startLocalChain()]);
});
afterAll(() => chain?.stop());

/** Calls createDatasetWithSchema as @iexec/dataprotector's protectData does: the signer owns the data. */
async function protectData(signer: 'dataOwner' | 'publisher', name: string, schema: object) {
  const client = chain.client(signer);
  const owner = chain.accounts[signer].address;
  const args = [owner, name, JSON.stringify(schema), p2pMultiaddr(name), keccak256(stringToHex(name))] as const;
  const { result, request } = await client.publicClient.simulateContract({
    account: chain.accounts[signer].account,
    address: chain.dataProtector,
    abi,
    functionName: 'createDatasetWithSchema',
    args,
  });
  const hash = await client.walletClient!.writeContract(request);
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: 'DatasetSchema' }) as unknown as {
    args: { dataset: Address; schema: string };
  }[];
  return { owner, args, result: result as Address, event, receipt };
}

describe('DataProtector', () => {
  it('has every function, event and error of the ABI the client calls', () => {
    const compiled = dataProtectorArtifact().abi;
    expect(abi.length).toBeGreaterThan(0);
    for (const item of abi) {
      if (item.type !== 'function' && item.type !== 'event' && item.type !== 'error') continue;
      expect(compiled.find((c) => c.type === item.type && c.name === item.name)).toEqual(item);
    }
  });

  it('creates the dataset in the registry, owned by the caller, and emits its schema', async () => {
    const schema = { email: 'string', file: 'application/pdf' };
    const { owner, args, result, event, receipt } = await protectData('dataOwner', 'protected-1', schema);
    expect(receipt.status).toBe('success');
    expect(event?.args.schema).toBe(JSON.stringify(schema));
    const dataset = event?.args.dataset as Address;
    expect(result).toBe(dataset);
    const predicted = await chain.client().publicClient.readContract({
      address: chain.addresses.datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'predictDataset',
      args: [owner, args[1], args[3], args[4]],
    });
    expect(predicted).toBe(dataset);
    expect(await getDataset(chain.client(), { dataset })).toMatchObject({ owner, name: args[1], multiaddr: args[3], checksum: args[4] });
    // The registry mints straight to the owner: the DataProtector never holds the token.
    const [minted] = decodeAssetTransfers({ logs: receipt.logs, addresses: chain.addresses });
    expect(minted).toMatchObject({ assetKind: 'dataset', asset: dataset, from: zeroAddress, to: owner });
  });

  it('lets the owner transfer it, and refuses the same data twice', async () => {
    const { event } = await protectData('publisher', 'protected-2', { secret: 'string' });
    const dataset = event?.args.dataset as Address;
    // transferOwnership in the client is a registry transfer (iexec's transferDataset).
    const newOwner = chain.account(7).address;
    await transferDataset(chain.client('publisher'), { dataset, to: newOwner });
    expect((await getDataset(chain.client(), { dataset })).owner).toBe(newOwner);
    await expect(protectData('publisher', 'protected-2', { secret: 'string' })).rejects.toThrow();
  });
});

describe('DataProtector in a data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'confidant-dataprotector-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is restored with the chain, and deployed on restart when an older chain has none', async () => {
    const first = await startLocalChain({ dataDir });
    await first.stop();
    const file = join(dataDir, 'chain.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).dataProtector).toBe(first.dataProtector);
    const second = await startLocalChain({ dataDir });
    await second.stop();
    expect(second.deployed).toBe(false);
    expect(second.dataProtector).toBe(first.dataProtector);

    const { dataProtector: _, ...older } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(older));
    const third = await startLocalChain({ dataDir });
    try {
      expect(third.dataProtector).not.toBe(first.dataProtector);
      expect(JSON.parse(readFileSync(file, 'utf8')).dataProtector).toBe(third.dataProtector);
      expect(await third.client().publicClient.getCode({ address: third.dataProtector })).not.toBe('0x');
    } finally {
      await third.stop();
    }
  });
});
