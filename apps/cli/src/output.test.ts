import { IndexerBehindError, NotIndexedError } from '@confidant/errors/api';
import { describe, expect, it } from 'vitest';
import { EXIT, reportError } from './output.js';

/** Streams that keep what is written (not a terminal: no colours). */
function capture() {
  const written = { stdout: '', stderr: '' };
  const stream = (key: keyof typeof written) => ({ isTTY: false, write: (text: string) => ((written[key] += text), true) });
  return {
    written,
    streams: { stdout: stream('stdout'), stderr: stream('stderr') } as unknown as {
      stdout: NodeJS.WriteStream;
      stderr: NodeJS.WriteStream;
    },
  };
}

describe('reportError', () => {
  it('prints a typed error for people: what went wrong, then what to do', () => {
    const { written, streams } = capture();
    const code = reportError(
      new NotIndexedError('app', '0x00000000000000000000000000000000000000ab'),
      { json: false, verbose: false },
      streams,
    );
    expect(code).toBe(EXIT.notFound);
    expect(written.stdout).toBe('');
    expect(written.stderr).toMatchInlineSnapshot(`
      "✖ app 0x00000000000000000000000000000000000000ab is not known to the marketplace
        → Check the id and the network. Something created moments ago appears once the indexer reaches its block.
      "
    `);
  });

  it('prints a typed error for scripts with its name and fields', () => {
    const { written, streams } = capture();
    const code = reportError(new IndexerBehindError(42n, 5_000), { json: true, verbose: false }, streams);
    expect(code).toBe(EXIT.failure);
    expect(JSON.parse(written.stdout)).toEqual({
      error: {
        name: 'IndexerBehindError',
        message: 'the indexer did not reach block 42 within 5000 ms',
        hints: ['Check that the chain node answers and see the indexer errors in the API log; retry once it has caught up.'],
        exitCode: EXIT.failure,
        fields: { block: '42', timeoutMs: 5000 },
      },
    });
  });
});
