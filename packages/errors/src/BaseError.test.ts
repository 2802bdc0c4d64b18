import { describe, expect, it } from 'vitest';
import { BaseError } from './BaseError.js';

class InnerError extends BaseError {
  override name = 'InnerError';
}

describe('BaseError', () => {
  it('puts the short message first, then details, hints and docs', () => {
    const error = new BaseError('the app 0x01 is not registered', {
      details: 'AppRegistry.isRegistered returned false',
      hints: ['Deploy the app first with `confidant deploy`.'],
      docsPath: '/docs/errors#app-not-registered',
      kind: 'not-found',
    });
    expect(error.message).toMatchInlineSnapshot(`
      "the app 0x01 is not registered

      Details: AppRegistry.isRegistered returned false

      → Deploy the app first with \`confidant deploy\`.

      Docs: /docs/errors#app-not-registered"
    `);
    expect(error.kind).toBe('not-found');
    expect(error.shortMessage).toBe('the app 0x01 is not registered');
  });

  it('defaults to an internal error without hints', () => {
    const error = new BaseError('boom');
    expect(error.kind).toBe('internal');
    expect(error.hints).toEqual([]);
    expect(error.message).toBe('boom');
  });

  it('walks the cause chain', () => {
    const inner = new InnerError('inner');
    const outer = new BaseError('outer', { cause: new Error('middle', { cause: inner }) });
    expect(outer.walk((e) => e instanceof InnerError)).toBe(inner);
    expect(outer.walk()).toBe(inner);
    expect(outer.walk((e) => e instanceof TypeError)).toBeUndefined();
  });
});
