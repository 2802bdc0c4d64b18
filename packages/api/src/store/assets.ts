import { getApp, getDataset, type PocoClient } from '@confidant/contracts';
import { apps, type Database, protectedData } from '@confidant/db';
import { eq } from 'drizzle-orm';
import { type Address, type Hex, parseAbiItem, zeroAddress } from 'viem';

type Executor = Pick<Database, 'insert' | 'select'>;

/**
 * The TEE framework an app runs in. iExec 9 apps carry no MREnclave and run in Intel TDX (its
 * networks match no other deal); an app registered earlier with a fingerprint
 * (`{"framework":"TDX"}`) says its own, lowercased.
 */
function frameworkOf(mrenclaveText: string | undefined): string | null {
  if (!mrenclaveText) return 'tdx';
  try {
    const parsed = JSON.parse(mrenclaveText) as { framework?: unknown };
    return typeof parsed.framework === 'string' ? parsed.framework.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Multiaddr bytes as a reader shows them: text when text, else the hex. */
const multiaddrText = (hex: Hex, text: string | undefined) => text ?? hex;

export type ChainOrigin = { block: bigint; tx: Hex; at: Date };

type OnChainApp = Awaited<ReturnType<typeof getApp>>;
type OnChainDataset = Awaited<ReturnType<typeof getDataset>>;

/** The apps row of an app read from the chain. */
export function appRow(onChain: OnChainApp, owner: string, origin: ChainOrigin): typeof apps.$inferInsert {
  return {
    address: onChain.address.toLowerCase(),
    owner: owner.toLowerCase(),
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
}

/** The protected_data row of a dataset read from the chain. */
export function datasetRow(onChain: OnChainDataset, owner: string, origin: ChainOrigin): typeof protectedData.$inferInsert {
  return {
    address: onChain.address.toLowerCase(),
    owner: owner.toLowerCase(),
    name: onChain.name,
    multiaddr: multiaddrText(onChain.multiaddr, onChain.multiaddrText),
    checksum: onChain.checksum.toLowerCase(),
    createdBlock: origin.block,
    createdTx: origin.tx.toLowerCase(),
    createdAt: origin.at,
  };
}

/** Inserts an app (a listing sent before the indexer reached it) or records its creation. */
export async function upsertApp(db: Executor, row: typeof apps.$inferInsert): Promise<void> {
  await db
    .insert(apps)
    .values(row)
    .onConflictDoUpdate({
      target: apps.address,
      set: { owner: row.owner, createdBlock: row.createdBlock, createdTx: row.createdTx, createdAt: row.createdAt },
    });
}

/** Inserts a protected data or records its creation. */
export async function upsertDataset(db: Executor, row: typeof protectedData.$inferInsert): Promise<void> {
  await db
    .insert(protectedData)
    .values(row)
    .onConflictDoUpdate({
      target: protectedData.address,
      set: { owner: row.owner, createdBlock: row.createdBlock, createdTx: row.createdTx, createdAt: row.createdAt },
    });
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
  if (kind === 'app') {
    const onChain = await getApp(client, { app: address });
    await upsertApp(db, appRow(onChain, onChain.owner, origin));
  } else {
    const onChain = await getDataset(client, { dataset: address });
    await upsertDataset(db, datasetRow(onChain, onChain.owner, origin));
  }
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
