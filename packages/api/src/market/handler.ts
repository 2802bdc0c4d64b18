import type { IncomingMessage, ServerResponse } from 'node:http';
import { orders } from '@confidant/db';
import { BaseError } from '@confidant/errors';
import { InvalidInputError } from '@confidant/errors/api';
import { httpStatusOf, processLogger, readLimited, sendJson } from '@confidant/server';
import { and, eq, sql } from 'drizzle-orm';
import { ZodError, type z } from 'zod';
import type { ApiServices } from '../context.js';
import { signedOrderSchema } from '../schemas.js';
import { type OrderRow } from '../store/orderbook.js';
import { perDatabase } from '../store/prepared.js';
import { publishOrder, type PublishOrderInput } from '../store/publishOrder.js';
import { authorize, issueChallenge } from './auth.js';
import { listDeals } from './deals.js';
import { invalid, notFound, unauthorized } from './errors.js';
import { marketItem } from './present.js';
import { listOrders } from './query.js';
import {
  authorizationSchema,
  challengeQuerySchema,
  chainIdSchema,
  dealsQuerySchema,
  listQuerySchema,
  type MarketKind,
  orderHashSchema,
  publishBodySchema,
  unpublishBodySchema,
} from './schemas.js';
import { unpublishOrders } from './unpublish.js';

const MAX_BODY_BYTES = 256 * 1024;
const ORDERS_PATH = /^\/(app|dataset|workerpool|request)orders(?:\/([^/]*))?$/;

type Request = { req: IncomingMessage; url: URL; services: ApiServices };

/** Paths the market API door serves (the rest of the server answers the others). */
export function isMarketPath(pathname: string): boolean {
  return pathname === '/challenge' || pathname === '/deals' || ORDERS_PATH.test(pathname);
}

function parse<schema extends z.ZodType>(schema: schema, value: unknown): z.output<schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(InvalidInputError.fromIssues(parsed.error.issues).shortMessage);
  return parsed.data;
}

/** The `chainId` query parameter, which must be the chain this API serves. */
function checkedChainId({ url, services }: Request): number {
  const { chainId } = parse(chainIdSchema, { chainId: url.searchParams.get('chainId') ?? undefined });
  if (chainId !== services.poco.chain.id)
    throw invalid(`chainId ${chainId} is not served here: this API serves chain ${services.poco.chain.id}`);
  return chainId;
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const bytes = await readLimited(
    req,
    MAX_BODY_BYTES,
    () => invalid(`the body is larger than ${MAX_BODY_BYTES} bytes`),
    () => invalid('the body could not be read'),
  );
  try {
    return JSON.parse(bytes.toString('utf8') || 'null');
  } catch {
    throw invalid('the body is not valid JSON');
  }
}

/** The authorized address of a write: the `authorization` header checked, its challenge used up. */
async function authorized(request: Request, chainId: number): Promise<string> {
  const parsed = authorizationSchema.safeParse(request.req.headers.authorization);
  if (!parsed.success) throw unauthorized(`invalid authorization: ${InvalidInputError.fromIssues(parsed.error.issues).shortMessage}`);
  return authorize(request.services, chainId, parsed.data);
}

async function getChallenge({ url, services }: Request) {
  const query = parse(challengeQuerySchema, Object.fromEntries(url.searchParams));
  if (query.chainId !== services.poco.chain.id)
    throw invalid(`chainId ${query.chainId} is not served here: this API serves chain ${services.poco.chain.id}`);
  return { ok: true, data: await issueChallenge(services, query.chainId, query.address) };
}

async function getList(request: Request, kind: MarketKind) {
  const chainId = checkedChainId(request);
  const query = parse(listQuerySchema, Object.fromEntries(request.url.searchParams));
  const { rows, count } = await listOrders(request.services, kind, query);
  const more = (query.pageIndex + 1) * query.pageSize < count;
  return { ok: true, orders: rows.map((row) => marketItem(row, chainId)), count, ...(more ? { nextPage: query.pageIndex + 1 } : {}) };
}

async function getDeals(request: Request) {
  const chainId = checkedChainId(request);
  const query = parse(dealsQuerySchema, Object.fromEntries(request.url.searchParams));
  return { ok: true, ...(await listDeals(request.services, query, chainId)) };
}

/** An order by hash and kind (a prepared statement). */
const oneOrder = perDatabase((db) =>
  db
    .select()
    .from(orders)
    .where(and(eq(orders.hash, sql.placeholder('hash')), eq(orders.kind, sql.placeholder('kind'))))
    .limit(1)
    .prepare('market_one'),
);

async function getOne(request: Request, kind: MarketKind, hashParam: string) {
  const chainId = checkedChainId(request);
  const hash = parse(orderHashSchema, hashParam);
  const [row] = await oneOrder(request.services.db).execute({ hash, kind });
  if (!row || row.unpublishedAt) throw notFound(`${kind}order not found: ${hash}`);
  return { ok: true, ...marketItem(row, chainId) };
}

async function publish(request: Request, kind: MarketKind) {
  const chainId = checkedChainId(request);
  const body = parse(publishBodySchema, await readJsonBody(request.req));
  const signed = parse(signedOrderSchema, { kind, order: body.order });
  const publisher = await authorized(request, chainId);
  const row: OrderRow = await publishOrder(request.services, { ...(signed as PublishOrderInput), publisher });
  return { ok: true, published: marketItem(row, chainId) };
}

async function unpublish(request: Request, kind: MarketKind) {
  const chainId = checkedChainId(request);
  const body = parse(unpublishBodySchema, await readJsonBody(request.req));
  const signer = await authorized(request, chainId);
  return { ok: true, unpublished: await unpublishOrders(request.services, kind, body, signer) };
}

function route(request: Request): Promise<unknown> {
  const { pathname } = request.url;
  const method = request.req.method ?? 'GET';
  if (pathname === '/challenge' && method === 'GET') return getChallenge(request);
  if (pathname === '/deals' && method === 'GET') return getDeals(request);
  const match = ORDERS_PATH.exec(pathname);
  const kind = match?.[1] as MarketKind | undefined;
  if (kind && match?.[2] !== undefined && method === 'GET') return getOne(request, kind, match[2]);
  if (kind && match?.[2] === undefined) {
    if (method === 'GET') return getList(request, kind);
    if (method === 'POST') return publish(request, kind);
    if (method === 'PUT') return unpublish(request, kind);
  }
  return Promise.reject(notFound(`${method} ${pathname} is not served`));
}

/**
 * The iExec market API door to the orderbook (`iexecGatewayURL`): the lists, one order by hash,
 * challenges, publish and unpublish, and the deals matched, answered as iExec's market API answers them.
 *
 * @example
 * if (isMarketPath(url.pathname)) return handleMarket(services, req, res);
 */
export async function handleMarket(services: ApiServices, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://api');
  try {
    sendJson(res, 200, await route({ req, url, services }));
  } catch (error) {
    if (error instanceof BaseError && error.kind !== 'internal' && error.kind !== 'unavailable') {
      sendJson(res, httpStatusOf(error), { ok: false, error: error.shortMessage });
      return;
    }
    if (error instanceof ZodError) {
      sendJson(res, 400, { ok: false, error: InvalidInputError.fromIssues(error.issues).shortMessage });
      return;
    }
    // Logged by name and message only (redacted): requests carry signatures.
    const cause = error instanceof Error ? error : undefined;
    processLogger.error(`api: market ${req.method} ${url.pathname} failed: ${cause?.name ?? 'Error'}: ${cause?.message ?? String(error)}`);
    sendJson(res, 500, { ok: false, error: 'internal error' });
  }
}
