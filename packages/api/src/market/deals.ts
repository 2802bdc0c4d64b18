import { getDeal, type GetDealReturnType } from '@confidant/contracts';
import { deals } from '@confidant/db';
import { and, asc, count, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { getAddress, type Hex, zeroAddress } from 'viem';
import type { ApiServices } from '../context.js';
import { invalid } from './errors.js';
import { uintValue } from './present.js';
import { type DealsQuery, MAX_PAGE_DEPTH } from './schemas.js';

type DealRow = typeof deals.$inferSelect;
/** What the index does not keep of a deal: read once from the chain (a deal never changes once matched). */
type ChainPart = Pick<
  GetDealReturnType,
  'app' | 'dataset' | 'workerpool' | 'trust' | 'callback' | 'startTime' | 'workerStake' | 'schedulerRewardRatio'
>;

const CACHE_SIZE = 10_000;
const chainParts = new Map<string, Promise<ChainPart>>();

/** The chain's part of a deal, remembered (the oldest forgotten past `CACHE_SIZE`); a failed read is not. */
function chainPart(services: Pick<ApiServices, 'poco'>, dealId: string): Promise<ChainPart> {
  const key = `${services.poco.addresses.poco}:${dealId}`;
  const known = chainParts.get(key);
  if (known) return known;
  const read = getDeal(services.poco, { dealId: dealId as Hex });
  chainParts.set(key, read);
  read.catch(() => chainParts.delete(key));
  if (chainParts.size > CACHE_SIZE) chainParts.delete(chainParts.keys().next().value as string);
  return read;
}

/** The filters of `GET /deals`, on the index (iexec-market-api services/deal.js). */
function filters(q: DealsQuery): (SQL | undefined)[] {
  return [
    q.requester ? eq(deals.requester, q.requester) : undefined,
    q.app ? eq(deals.app, q.app) : undefined,
    q.dataset === zeroAddress ? isNull(deals.dataset) : q.dataset ? eq(deals.dataset, q.dataset) : undefined,
    q.workerpool ? eq(deals.workerpool, q.workerpool) : undefined,
    q.category !== undefined ? eq(deals.category, Number(q.category)) : undefined,
    q.apporderHash ? eq(deals.appOrderHash, q.apporderHash) : undefined,
    q.datasetorderHash ? eq(deals.datasetOrderHash, q.datasetorderHash) : undefined,
    q.workerpoolorderHash ? eq(deals.workerpoolOrderHash, q.workerpoolorderHash) : undefined,
    q.requestorderHash ? eq(deals.requestOrderHash, q.requestorderHash) : undefined,
  ];
}

const resource = (pointer: string | null, price: bigint, owner: string) => ({
  pointer: getAddress(pointer ?? zeroAddress),
  owner: getAddress(owner),
  price: uintValue(price.toString()),
});

/**
 * A deal as iExec's market API answers it (iexec `PaginableDeals`): uints as JSON numbers when
 * exact (`botFirst`, `botSize`: dataprotector adds them), EIP-55 addresses, the four order hashes.
 */
function marketDeal(row: DealRow, chain: ChainPart, chainId: number) {
  const number = (value: bigint) => uintValue(value.toString());
  return {
    chainId,
    dealid: row.dealId,
    app: resource(row.app, row.appPrice, chain.app.owner),
    dataset: resource(row.dataset, row.datasetPrice, chain.dataset.owner),
    workerpool: resource(row.workerpool, row.workerpoolPrice, chain.workerpool.owner),
    appHash: row.appOrderHash,
    datasetHash: row.datasetOrderHash,
    workerpoolHash: row.workerpoolOrderHash,
    requestHash: row.requestOrderHash,
    requester: getAddress(row.requester),
    beneficiary: getAddress(row.beneficiary),
    callback: getAddress(chain.callback),
    params: row.params,
    category: row.category,
    tag: row.tag,
    trust: number(chain.trust),
    volume: number(row.volume),
    botFirst: number(row.botFirst),
    botSize: number(row.volume),
    startTime: number(chain.startTime),
    workerStake: number(chain.workerStake),
    schedulerRewardRatio: number(chain.schedulerRewardRatio),
    blockNumber: Number(row.blockNumber),
    blockTimestamp: row.createdAt.toISOString(),
    publicationTimestamp: row.createdAt.toISOString(),
    transactionHash: row.txHash,
  };
}

/**
 * One page of the deals a `GET /deals` query finds, newest first, with the count of all it finds.
 * The index gives the deal; owners, trust, callback, start time, worker stake and scheduler reward
 * ratio are read from the chain (once per deal).
 */
export async function listDeals(services: Pick<ApiServices, 'db' | 'poco'>, q: DealsQuery, chainId: number) {
  const offset = q.pageIndex * q.pageSize;
  if (offset + q.pageSize > MAX_PAGE_DEPTH)
    throw invalid(`page too deep: pageIndex ${q.pageIndex} with pageSize ${q.pageSize} reaches past deal ${MAX_PAGE_DEPTH}`);
  const where = and(...filters(q));
  const [rows, total] = await Promise.all([
    services.db.select().from(deals).where(where).orderBy(desc(deals.blockNumber), asc(deals.dealId)).limit(q.pageSize).offset(offset),
    services.db.select({ n: count() }).from(deals).where(where),
  ]);
  const parts = await Promise.all(rows.map((row) => chainPart(services, row.dealId)));
  const found = total[0]?.n ?? 0;
  return {
    deals: rows.map((row, i) => marketDeal(row, parts[i] as ChainPart, chainId)),
    count: found,
    ...(offset + q.pageSize < found ? { nextPage: q.pageIndex + 1 } : {}),
  };
}
