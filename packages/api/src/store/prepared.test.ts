import { describe, expect, it } from 'vitest';
import { preparedWhileFew } from './prepared.js';

/** A query that says how it was run. */
const query = () => ({
  prepare: () => ({ execute: async () => 'prepared' }),
  execute: async () => 'unnamed',
});

describe('preparedWhileFew', () => {
  it('prepares each shape until 256 are, then runs new shapes unnamed and known ones prepared', async () => {
    const run = preparedWhileFew();
    for (let shape = 0; shape < 256; shape++) expect(await run(`shape ${shape}`, query())).toBe('prepared');
    expect(await run('one more', query())).toBe('unnamed');
    expect(await run('shape 0', query())).toBe('prepared');
    expect(await run('shape 255', query())).toBe('prepared');
  });
});
