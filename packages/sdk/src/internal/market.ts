import type { PocoWalletClient, SignedAppOrder, SignedDatasetOrder, SignedWorkerpoolOrder } from '@confidant/contracts';
import { addressSchema, bytes32Schema, hexBytesSchema, uintSchema } from '@confidant/contracts/schemas';
import type { BaseErrorKind } from '@confidant/errors';
import { type Address, getAddress, type Hex, hashTypedData } from 'viem';
import { z } from 'zod';
import { MarketApiError } from '../errors.js';

// iExec's market API (`iexecGatewayURL`), spoken as the `iexec` package speaks it (api-utils.js):
// query strings with `chainId` on every call, JSON bodies, `{ ok: false, error }` refusals, and
// writes authorized by a single-use EIP-712 challenge signed by the publishing account.

/** The orders the SDK publishes and reads through the market API. */
export type MarketKind = 'app' | 'dataset' | 'workerpool';

type SignedOrderOf<kind extends MarketKind> = { app: SignedAppOrder; dataset: SignedDatasetOrder; workerpool: SignedWorkerpoolOrder }[kind];

/** One order as the market API lists it. */
export type MarketOrder<kind extends MarketKind> = {
  orderHash: Hex;
  /** What is left to match, as the orderbook last saw it (read the chain for the live value). */
  remaining: bigint;
  status: string;
  signer: Address;
  publishedAt: Date;
  order: SignedOrderOf<kind>;
};

export type MarketPage<kind extends MarketKind> = { orders: MarketOrder<kind>[]; count: number; nextPage: number | undefined };

/** A query string's values; undefined ones are left out, as iexec does. */
type Query = Record<string, string | number | boolean | undefined>;

export type MarketClient = {
  /** One page of open orders of a kind, cheapest first (`GET /<kind>orders`). */
  list<kind extends MarketKind>(kind: kind, query: Query): Promise<MarketPage<kind>>;
  /** One order by hash, whatever its status (`GET /<kind>orders/<hash>`). */
  get<kind extends MarketKind>(kind: kind, hash: Hex): Promise<MarketOrder<kind>>;
  /** Publishes a signed order, authorized by a challenge the wallet signs (`POST /<kind>orders`). */
  publish<kind extends MarketKind>(wallet: PocoWalletClient, kind: kind, order: SignedOrderOf<kind>): Promise<MarketOrder<kind>>;
};

const address = addressSchema.transform((value) => getAddress(value));
const orderBase = { volume: uintSchema, tag: bytes32Schema, salt: bytes32Schema, sign: hexBytesSchema };
const orderSchemas = {
  app: z.object({
    app: address,
    appprice: uintSchema,
    datasetrestrict: address,
    workerpoolrestrict: address,
    requesterrestrict: address,
    ...orderBase,
  }),
  dataset: z.object({
    dataset: address,
    datasetprice: uintSchema,
    apprestrict: address,
    workerpoolrestrict: address,
    requesterrestrict: address,
    ...orderBase,
  }),
  workerpool: z.object({
    workerpool: address,
    workerpoolprice: uintSchema,
    category: uintSchema,
    trust: uintSchema,
    apprestrict: address,
    datasetrestrict: address,
    requesterrestrict: address,
    ...orderBase,
  }),
};

const itemSchemaOf = (kind: MarketKind) =>
  z.object({
    orderHash: bytes32Schema,
    remaining: uintSchema,
    status: z.string(),
    signer: address,
    publicationTimestamp: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO date'),
    order: orderSchemas[kind],
  });

const challengeSchema = z.object({
  ok: z.literal(true),
  data: z.object({
    domain: z.object({ name: z.string(), version: z.string(), chainId: z.coerce.number() }),
    message: z.object({ challenge: z.string() }),
  }),
});

const KINDS: Record<number, BaseErrorKind> = { 400: 'invalid-input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found' };

function toOrder<kind extends MarketKind>(kind: kind, value: unknown, call: string): MarketOrder<kind> {
  const parsed = itemSchemaOf(kind).safeParse(value);
  if (!parsed.success)
    throw new MarketApiError(call, `the market API answered ${call} with an order that is not a signed ${kind} order`, {
      reason: 'malformed',
      cause: parsed.error,
    });
  const { orderHash, remaining, status, signer, publicationTimestamp, order } = parsed.data;
  return {
    orderHash: orderHash.toLowerCase() as Hex,
    remaining,
    status,
    signer,
    publishedAt: new Date(publicationTimestamp),
    order: order as SignedOrderOf<kind>,
  };
}

/** The signed order as JSON: uints as decimal text (iexec's own form). */
const orderJson = (order: object) =>
  Object.fromEntries(Object.entries(order).map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : value]));

/** The answer's JSON, or the typed error its status and body say. */
async function answerOf(response: Response, call: string): Promise<Record<string, unknown>> {
  const json = /\bjson\b/i.test(response.headers.get('content-type') ?? '');
  const body = json ? ((await response.json().catch(() => undefined)) as Record<string, unknown> | undefined) : undefined;
  const refusal = body?.ok === false && typeof body.error === 'string' ? body.error : undefined;
  if (refusal !== undefined && response.status < 500) {
    throw new MarketApiError(call, `the market API refused ${call}: ${refusal}`, {
      apiMessage: refusal,
      httpStatus: response.status,
      reason: 'refused',
      kind: KINDS[response.status] ?? 'invalid-input',
    });
  }
  if (!response.ok || !body || body.ok !== true) {
    throw new MarketApiError(
      call,
      `the market API answered ${call} with HTTP ${response.status}${json ? '' : ' without JSON'}${refusal ? `: ${refusal}` : ''}`,
      { httpStatus: response.status, reason: 'malformed', apiMessage: refusal },
    );
  }
  return body;
}

/**
 * A client of iExec's market API at `url` (Confidant's API serves it at its origin; iExec's is
 * `NetworkServices.marketApi`), for the chain `chainId`.
 *
 * @example
 * const market = createMarketClient('http://127.0.0.1:4000', 31337);
 * const { orders } = await market.list('app', { app });
 */
export function createMarketClient(url: string, chainId: number, fetchImpl: typeof fetch = globalThis.fetch): MarketClient {
  const base = url.replace(/\/+$/, '');
  async function send(method: string, path: string, query: Query, init: { headers?: Record<string, string>; body?: unknown } = {}) {
    const target = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries({ chainId, ...query })) if (value !== undefined) target.searchParams.set(key, String(value));
    const call = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetchImpl(target, {
        method,
        headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    } catch (error) {
      throw new MarketApiError(call, `the market API at ${base} could not be reached`, { reason: 'unreachable', cause: error });
    }
    return { body: await answerOf(response, call), call };
  }

  /** `authorization: <digest>_<signature>_<address>` for a fresh challenge (iexec's getAuthorization). */
  async function authorization(wallet: PocoWalletClient): Promise<string> {
    const account = wallet.walletClient.account;
    const { body, call } = await send('GET', '/challenge', { address: account.address });
    const parsed = challengeSchema.safeParse(body);
    if (!parsed.success || parsed.data.data.domain.chainId !== chainId)
      throw new MarketApiError(call, `the market API answered ${call} with a challenge that is not one for chain ${chainId}`, {
        reason: 'malformed',
        cause: parsed.error,
      });
    const typed = {
      domain: { name: parsed.data.data.domain.name, version: parsed.data.data.domain.version, chainId },
      types: { Challenge: [{ name: 'challenge', type: 'string' }] },
      primaryType: 'Challenge',
      message: { challenge: parsed.data.data.message.challenge },
    } as const;
    const signature = await wallet.walletClient.signTypedData({ account, ...typed });
    return `${hashTypedData(typed)}_${signature}_${account.address}`;
  }

  return {
    async list(kind, query) {
      const { body, call } = await send('GET', `/${kind}orders`, query);
      const page = z.object({ orders: z.array(z.unknown()), count: z.number(), nextPage: z.number().optional() }).safeParse(body);
      if (!page.success)
        throw new MarketApiError(call, `the market API answered ${call} with something that is not a list of orders`, {
          reason: 'malformed',
          cause: page.error,
        });
      return { orders: page.data.orders.map((item) => toOrder(kind, item, call)), count: page.data.count, nextPage: page.data.nextPage };
    },
    async get(kind, hash) {
      const { body, call } = await send('GET', `/${kind}orders/${hash}`, {});
      return toOrder(kind, body, call);
    },
    async publish(wallet, kind, order) {
      const headers = { authorization: await authorization(wallet) };
      const { body, call } = await send('POST', `/${kind}orders`, {}, { headers, body: { order: orderJson(order) } });
      return toOrder(kind, body.published, call);
    },
  };
}
