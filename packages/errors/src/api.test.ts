import { describe, expect, it } from 'vitest';
import {
  apiErrorRevivers,
  IndexerBehindError,
  InvalidInputError,
  InvalidRequestError,
  NotIndexedError,
  NotOwnerError,
  OrderRefusedError,
  SignInRefusedError,
  SignInRequiredError,
} from './api.js';
import { BaseError } from './BaseError.js';
import { reviveError } from './wire.js';

const owner = '0x00000000000000000000000000000000000000aa';
const signedIn = '0x00000000000000000000000000000000000000bb';

// One of each error the API sends, as its user reads it.
const sent = [
  new SignInRequiredError('apps.upsertListing'),
  new SignInRefusedError('the message has expired'),
  new NotOwnerError('app', '0x00000000000000000000000000000000000000cc', owner, signedIn),
  new NotIndexedError('task', `0x${'12'.repeat(32)}`),
  new OrderRefusedError('the app order is signed by 0xbb', 'Sign the order with 0xaa.'),
  new IndexerBehindError(42n, 5_000),
  new InvalidRequestError('expiresAt is in the past', 'Give a future date for the grant to expire.'),
  InvalidInputError.fromIssues([
    { path: ['order', 'volume'], message: 'must be positive' },
    { path: [], message: 'expected an object' },
  ]),
];

describe("the API's errors", () => {
  it.each(sent.map((error) => [error.name, error] as const))('%s is rebuilt as itself from its name and fields', (_, error) => {
    const revived = reviveError(apiErrorRevivers, error.name, error.fields, { details: 'API call x.y', cause: 'carrier' });
    expect(revived).toBeInstanceOf(error.constructor);
    expect(revived?.shortMessage).toBe(error.shortMessage);
    expect(revived?.fields).toEqual(error.fields);
    expect(revived?.hints).toEqual(error.hints);
    expect(revived?.kind).toBe(error.kind);
    expect(revived?.details).toBe('API call x.y');
    expect(revived?.cause).toBe('carrier');
  });

  it('has a reviver for every error it sends, and none more', () => {
    expect(Object.keys(apiErrorRevivers).sort()).toEqual(sent.map((error) => error.name).sort());
  });

  it('reads as a person would want', () => {
    expect(sent.map((error) => error.message)).toMatchInlineSnapshot(`
      [
        "apps.upsertListing needs you to sign in

      → Sign in with Ethereum: get a nonce from auth.nonce, sign the SIWE message, send it to auth.verify.",
        "sign-in refused: the message has expired

      → Ask auth.nonce for a fresh nonce and sign a new message with your account.",
        "you (0x00000000000000000000000000000000000000bb) are not the owner of app 0x00000000000000000000000000000000000000cc; its owner is 0x00000000000000000000000000000000000000aa

      → Sign in with 0x00000000000000000000000000000000000000aa.",
        "task 0x1212121212121212121212121212121212121212121212121212121212121212 is not known to the marketplace

      → Check the id and the network. Something created moments ago appears once the indexer reaches its block.",
        "order refused: the app order is signed by 0xbb

      → Sign the order with 0xaa.",
        "the indexer did not reach block 42 within 5000 ms

      → Check that the chain node answers and see the indexer errors in the API log; retry once it has caught up.",
        "expiresAt is in the past

      → Give a future date for the grant to expire.",
        "order.volume: must be positive; input: expected an object

      → Fix the fields named in the message.",
      ]
    `);
  });

  it('rebuilds nothing from unknown names or fields that do not fit', () => {
    expect(reviveError(apiErrorRevivers, 'NotIndexedError', { what: 'app' }, {})).toBeUndefined();
    expect(reviveError(apiErrorRevivers, 'NotIndexedError', { what: 'app', id: 7 }, {})).toBeUndefined();
    expect(reviveError(apiErrorRevivers, 'IndexerBehindError', { block: '42', timeoutMs: 5 }, {})).toBeUndefined();
    expect(reviveError(apiErrorRevivers, 'SomethingElseError', {}, {})).toBeUndefined();
    expect(reviveError(apiErrorRevivers, 'toString', {}, {})).toBeUndefined();
    expect(reviveError(apiErrorRevivers, undefined, {}, {})).toBeUndefined();
  });

  it('keeps local-only errors without fields', () => {
    expect(new BaseError('local').fields).toBeUndefined();
  });
});
