import { getPocoDomain, hashOrder, type OrderKind, type PocoClient, type PocoDomain } from '@confidant/contracts';
import { apps, type Database, orders, protectedData, workerpools } from '@confidant/db';
import { BaseError } from '@confidant/errors';
import { InvalidInputError } from '@confidant/errors/api';
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { getAddress } from 'viem';
import { signedOrderSchema } from '../schemas.js';
import { recordAudits } from '../store/audit.js';
import { type PublishOrderInput, publishOrder } from '../store/publishOrder.js';
import { fetchUpstreamPage, MirroredOrderRefusedError, UpstreamMarketError, upstreamItemSchema } from './mirrorUpstream.js';

export type MarketMirrorParameters = {
  db: Database;
  /** The PoCo of the network the API serves: orders are hashed and verified against it. */
  poco: PocoClient;
  /** The upstream market API's origin (iExec's `marketApi` of the network). */
  upstreamUrl: string;
  /** The pause between two rounds. */
  intervalMs: number;
  fetch?: typeof fetch | undefined;
  /** Told of every failure: an upstream down or lying, an order refused. None stops the mirror. */
  onError?: ((error: unknown) => void) | undefined;
  /** Apps, datasets and workerpools synced per round (default 200); the next round goes on from there. */
  subjectsPerRound?: number | undefined;
};

/** What one round did. `complete` is false when the upstream became unavailable during it. */
type MirrorRound = { subjects: number; stored: number; unpublished: number; refused: number; complete: boolean };

export type MarketMirror = {
  /** Runs a round now, then one every `intervalMs` after the previous one ends. */
  start(): void;
  /** Stops the rounds; resolves once the running one has stopped (between two subjects). */
  stop(): Promise<void>;
  /** One round, started after any running one: resolves with what it did. */
  syncOnce(): Promise<MirrorRound>;
};

type SubjectKind = Exclude<OrderKind, 'request'>;
type Subject = { kind: SubjectKind; address: string };
type Cursor = { kind: number; after: string | undefined };
type Tally = Omit<MirrorRound, 'complete' | 'subjects'>;

const KINDS: readonly SubjectKind[] = ['app', 'dataset', 'workerpool'];
const PAGE_SIZE = 1000;
/** At most this many upstream pages per subject and round (an upstream that pages forever is cut). */
const MAX_PAGES = 20;
/** New orders verified (and stored) at once. */
const CONCURRENCY = 8;
/** A refused order is reported once in this time, not every round. */
const REFUSAL_QUIET_MS = 3_600_000;

/**
 * What each list is asked: every open order of the subject, whatever it restricts (iExec's market
 * API: `any` lifts a restriction filter, strict flags off).
 */
const QUERIES: Record<SubjectKind, { path: string; query: (subject: string) => Record<string, string> }> = {
  app: {
    path: '/apporders',
    query: (app) => ({ app, dataset: 'any', workerpool: 'any', requester: 'any', ...strict('Dataset', 'Workerpool', 'Requester') }),
  },
  dataset: {
    path: '/datasetorders',
    query: (dataset) => ({
      dataset,
      app: 'any',
      workerpool: 'any',
      requester: 'any',
      bulkOnly: 'false',
      ...strict('App', 'Workerpool', 'Requester'),
    }),
  },
  workerpool: {
    path: '/workerpoolorders',
    query: (workerpool) => ({ workerpool, app: 'any', dataset: 'any', requester: 'any', ...strict('App', 'Dataset', 'Requester') }),
  },
};

function strict(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [`is${name}Strict`, 'false']));
}

/** Up to `limit` indexed subjects of a kind after `after`, in address order. */
async function subjectsAfter(db: Database, kind: SubjectKind, after: string | undefined, limit: number): Promise<string[]> {
  const table = { app: apps, dataset: protectedData, workerpool: workerpools }[kind] as typeof workerpools;
  const rows = await db
    .select({ address: table.address })
    .from(table)
    .where(after === undefined ? undefined : gt(table.address, after))
    .orderBy(asc(table.address))
    .limit(limit);
  return rows.map((row) => row.address);
}

/** The next `budget` subjects from `start` (apps, then datasets, then workerpools, then around), and where they end. */
async function nextSubjects(db: Database, start: Cursor, budget: number): Promise<{ subjects: Subject[]; end: Cursor }> {
  const subjects: Subject[] = [];
  let position = start;
  for (let step = 0; step < KINDS.length && subjects.length < budget; step++) {
    const kind = KINDS[position.kind] as SubjectKind;
    const wanted = budget - subjects.length;
    const found = await subjectsAfter(db, kind, position.after, wanted);
    subjects.push(...found.map((address) => ({ kind, address })));
    position =
      found.length < wanted ? { kind: (position.kind + 1) % KINDS.length, after: undefined } : { kind: position.kind, after: found.at(-1) };
  }
  return { subjects, end: position };
}

/** Whether an error of the orderbook refuses the order itself (rather than failing to check it). */
const isRefusal = (error: unknown) =>
  error instanceof BaseError && (error.kind === 'invalid-input' || error.kind === 'forbidden' || error.kind === 'not-found');

/** What a mirror's steps share. */
type MirrorState = {
  db: Database;
  poco: PocoClient;
  upstreamUrl: string;
  fetchFn: typeof fetch;
  report: (error: unknown) => void;
  /** Refused order hashes, reported again (and retried) only after this time. */
  quietUntil: Map<string, number>;
  cursor: Cursor;
  closing: boolean;
};

/** Reports a refused order (once per REFUSAL_QUIET_MS for the same hash). */
function refuse(m: MirrorState, tally: Tally, kind: string, orderHash: string, reason: string, cause?: unknown): undefined {
  tally.refused++;
  const now = Date.now();
  if ((m.quietUntil.get(orderHash) ?? 0) > now) return undefined;
  if (m.quietUntil.size >= 10_000) m.quietUntil.clear();
  m.quietUntil.set(orderHash, now + REFUSAL_QUIET_MS);
  m.report(new MirroredOrderRefusedError(m.upstreamUrl, kind, orderHash, reason, cause));
  return undefined;
}

/** One upstream item, checked as far as it can be without the chain: the order it carries and its hash. */
function checkedItem(m: MirrorState, subject: Subject, domain: PocoDomain, value: unknown, tally: Tally) {
  const item = upstreamItemSchema.safeParse(value);
  if (!item.success) return refuse(m, tally, subject.kind, 'without a hash', InvalidInputError.fromIssues(item.error.issues).shortMessage);
  const { orderHash } = item.data;
  const signed = signedOrderSchema.safeParse({ kind: subject.kind, order: item.data.order });
  if (!signed.success) return refuse(m, tally, subject.kind, orderHash, InvalidInputError.fromIssues(signed.error.issues).shortMessage);
  const input = signed.data as PublishOrderInput;
  const about = String((input.order as Record<string, unknown>)[subject.kind]);
  if (about !== subject.address)
    return refuse(m, tally, subject.kind, orderHash, `it is an order of ${subject.kind} ${about}, not of ${subject.address}`);
  const hash = hashOrder({ domain, kind: input.kind, order: input.order as never }).toLowerCase();
  if (hash !== orderHash)
    return refuse(m, tally, subject.kind, orderHash, `its orderHash is not the hash of the order it carries, ${hash}`);
  return { hash, input };
}

/** Stores the new orders of one upstream page through the orderbook's publish path; adds every order it lists to `present`. */
async function storePage(m: MirrorState, subject: Subject, items: readonly unknown[], present: Set<string>, tally: Tally) {
  const domain = await getPocoDomain(m.poco);
  const checked = items.flatMap((value) => checkedItem(m, subject, domain, value, tally) ?? []);
  for (const { hash } of checked) present.add(hash);
  const hashes = checked.map(({ hash }) => hash);
  const held = hashes.length
    ? await m.db
        .select({ hash: orders.hash })
        .from(orders)
        .where(and(inArray(orders.hash, hashes), isNull(orders.unpublishedAt)))
    : [];
  const known = new Set(held.map((row) => row.hash));
  const fresh = checked.filter(({ hash }) => !known.has(hash) && (m.quietUntil.get(hash) ?? 0) <= Date.now());
  for (let i = 0; i < fresh.length; i += CONCURRENCY) {
    await Promise.all(
      fresh.slice(i, i + CONCURRENCY).map(async ({ hash, input }) => {
        try {
          await publishOrder({ db: m.db, poco: m.poco }, { ...input, mirrored: true });
          tally.stored++;
        } catch (error) {
          if (!isRefusal(error)) throw error;
          refuse(m, tally, subject.kind, hash, error instanceof BaseError ? error.shortMessage : String(error), error);
        }
      }),
    );
  }
}

/** Unpublishes the mirrored open orders of a subject that the upstream no longer lists. */
async function unpublishGone(m: MirrorState, subject: Subject, present: Set<string>): Promise<number> {
  const mirroredOpen = and(
    eq(orders.kind, subject.kind),
    eq(orders.subject, subject.address),
    eq(orders.mirrored, true),
    eq(orders.status, 'open'),
    isNull(orders.unpublishedAt),
  );
  const rows = await m.db.select({ hash: orders.hash, signer: orders.signer }).from(orders).where(mirroredOpen);
  const gone = rows.filter((row) => !present.has(row.hash));
  if (gone.length === 0) return 0;
  const hashes = gone.map((row) => row.hash);
  await m.db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(orders)
      .set({ unpublishedAt: now, updatedAt: now })
      .where(and(inArray(orders.hash, hashes), isNull(orders.unpublishedAt)));
    await recordAudits(
      tx,
      gone.map((row) => ({
        actor: row.signer,
        action: `${subject.kind}Order.unpublished`,
        subject: row.hash,
        details: { mirror: m.upstreamUrl, reason: 'no longer listed upstream' },
      })),
    );
  });
  return gone.length;
}

/** Mirrors one subject: every upstream page, then what left. A subject cut at MAX_PAGES unpublishes nothing. */
async function syncSubject(m: MirrorState, subject: Subject, tally: Tally) {
  const { path, query } = QUERIES[subject.kind];
  const present = new Set<string>();
  for (let pageIndex = 0; pageIndex < MAX_PAGES; pageIndex++) {
    if (m.closing) return;
    const page = await fetchUpstreamPage(m.fetchFn, m.upstreamUrl, path, {
      chainId: m.poco.chain.id,
      ...query(getAddress(subject.address)),
      pageIndex,
      pageSize: PAGE_SIZE,
    });
    await storePage(m, subject, page.orders, present, tally);
    if (page.nextPage === undefined || page.orders.length === 0) {
      tally.unpublished += await unpublishGone(m, subject, present);
      return;
    }
  }
}

/** One round: the next subjects from the cursor; an upstream down stops it (the next round resumes there). */
async function round(m: MirrorState, budget: number): Promise<MirrorRound> {
  const tally: Tally = { stored: 0, unpublished: 0, refused: 0 };
  const { subjects, end } = await nextSubjects(m.db, m.cursor, budget);
  let done = 0;
  for (const subject of subjects) {
    if (m.closing) break;
    try {
      await syncSubject(m, subject, tally);
    } catch (error) {
      m.report(error);
      if (error instanceof UpstreamMarketError && error.kind === 'unavailable') {
        const last = subjects[done - 1];
        if (last) m.cursor = { kind: KINDS.indexOf(last.kind), after: last.address };
        return { subjects: done, ...tally, complete: false };
      }
    }
    done++;
  }
  if (!m.closing) m.cursor = end;
  return { subjects: done, ...tally, complete: !m.closing };
}

/**
 * Mirrors an upstream market API's open app, dataset and workerpool orders into the orderbook, for
 * the apps, protected data and workerpools the API has indexed. Each order is hashed here and goes
 * through the orderbook's one publish path (signature, tag and fields checked against the chain): an
 * upstream can withhold orders, not plant one. Mirrored orders that left the upstream (cancelled,
 * filled, unpublished) are unpublished here; orders published here directly are never touched.
 *
 * @example
 * const mirror = createMarketMirror({ db, poco, upstreamUrl: networks['arbitrum-mainnet'].services!.marketApi, intervalMs: 30_000 });
 * mirror.start();
 */
export function createMarketMirror(parameters: MarketMirrorParameters): MarketMirror {
  const m: MirrorState = {
    db: parameters.db,
    poco: parameters.poco,
    upstreamUrl: parameters.upstreamUrl,
    fetchFn: parameters.fetch ?? fetch,
    report: (error) => parameters.onError?.(error),
    quietUntil: new Map(),
    cursor: { kind: 0, after: undefined },
    closing: false,
  };
  const budget = parameters.subjectsPerRound ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<MirrorRound> | undefined;
  let queued: Promise<MirrorRound> | undefined;

  function syncOnce(): Promise<MirrorRound> {
    if (!running) {
      running = round(m, budget).finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return syncOnce();
      });
    return queued;
  }

  function schedule(delayMs: number) {
    timer = setTimeout(() => {
      syncOnce()
        .catch(m.report)
        .finally(() => {
          if (!m.closing) schedule(parameters.intervalMs);
        });
    }, delayMs);
  }

  return {
    start() {
      if (timer || m.closing) return;
      schedule(0);
    },
    async stop() {
      m.closing = true;
      clearTimeout(timer);
      await Promise.allSettled([running, queued]);
    },
    syncOnce,
  };
}
