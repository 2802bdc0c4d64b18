import { getApp, getDataset, type PocoClient } from '@confidant/contracts';
import { apps, type Database, protectedData } from '@confidant/db';
import { eq } from 'drizzle-orm';
import { type Address, type Hex, parseAbiItem, zeroAddress } from 'viem';

type Executor = Pick<Database, 'insert' | 'select'>;

/** The TEE framework an app's fingerprint declares (`{"framework":"TDX"}`), lowercased, if any. */
export function frameworkOf(mrenclaveText: string | undefined): string | null {
  if (!mrenclaveText) return null;
  try {
    const parsed = JSON.parse(mrenclaveText) as { framework?: unknown };
    return typeof parsed.framework === 'string' ? parsed.framework.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Multiaddr bytes as a reader shows them: text when text, else the hex. */
export const multiaddrText = (hex: Hex, text: string | undefined) => text ?? hex;

export type ChainOrigin = { block: bigint; tx: Hex; at: Date };

/** Inserts (or refreshes) an app read from the chain. */
export async function upsertAppFromChain(db: Executor, client: PocoClient, app: Address, origin: ChainOrigin): Promise<void> {
  const onChain = await getApp(client, { app });
  const values = {
    address: app.toLowerCase(),
    owner: onChain.owner.toLowerCase(),
    name: onChain.name,
    type: onChain.type,
    multiaddr: multiaddrText(onChain.multiaddr, onChain.multiaddrText),
    checksum: onChain.checksum.toLowerCase(),
    mrenclave: onChain.mrenclaveText ?? onChain.mrenclave,
    teeFramework: frameworkOf(onChain.mrenclaveText),
    createdBlock: origin.block,
    createdTx: origin.tx.toLowerCase(),
    createdAt: origin.at,
  };
  await db.insert(apps).values(values).onConflictDoUpdate({ target: apps.address, set: { owner: values.owner } });
}

/** Inserts (or refreshes) a protected data read from the chain. */
export async function upsertDatasetFromChain(db: Executor, client: PocoClient, dataset: Address, origin: ChainOrigin): Promise<void> {
  const onChain = await getDataset(client, { dataset });
  const values = {
    address: dataset.toLowerCase(),
    owner: onChain.owner.toLowerCase(),
    name: onChain.name,
    multiaddr: multiaddrText(onChain.multiaddr, onChain.multiaddrText),
    checksum: onChain.checksum.toLowerCase(),
    createdBlock: origin.block,
    createdTx: origin.tx.toLowerCase(),
    createdAt: origin.at,
  };
  await db.insert(protectedData).values(values).onConflictDoUpdate({ target: protectedData.address, set: { owner: values.owner } });
}

/**
 * Makes sure the marketplace knows an asset that exists on chain, reading it directly when the
 * indexer has not reached its block yet (a listing or schema sent right after creation).
 */
export async function ensureIndexed(db: Executor, client: PocoClient, kind: 'app' | 'dataset', address: Address): Promise<void> {
  const table = kind === 'app' ? apps : protectedData;
  const [known] = await db.select({ address: table.address }).from(table).where(eq(table.address, address.toLowerCase())).limit(1);
  if (known) return;
  const origin = await creationOf(client, kind, address);
  if (kind === 'app') await upsertAppFromChain(db, client, address, origin);
  else await upsertDatasetFromChain(db, client, address, origin);
}

/** The block and transaction that minted an asset; the current block when the node cannot say. */
async function creationOf(client: PocoClient, kind: 'app' | 'dataset', address: Address): Promise<ChainOrigin> {
  try {
    const [minted] = await client.publicClient.getLogs({
      address: kind === 'app' ? client.addresses.appRegistry : client.addresses.datasetRegistry,
      event: transferEvent,
      args: { from: zeroAddress, tokenId: BigInt(address) },
      fromBlock: 'earliest',
      toBlock: 'latest',
    });
    if (minted?.blockNumber != null && minted.transactionHash) {
      const block = await client.publicClient.getBlock({ blockNumber: minted.blockNumber });
      return { block: minted.blockNumber, tx: minted.transactionHash, at: new Date(Number(block.timestamp) * 1000) };
    }
  } catch {
    // Public nodes may refuse a log query over the whole chain; the indexer corrects it later.
  }
  const block = await client.publicClient.getBlock();
  return { block: block.number, tx: `0x${'0'.repeat(64)}`, at: new Date(Number(block.timestamp) * 1000) };
}

const transferEvent = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)');
