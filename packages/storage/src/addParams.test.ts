import { describe, expect, it } from 'vitest';
import { parseAddParams } from './addParams.js';
import { StorageRequestError } from './errors.js';

const parse = (query: string) => parseAddParams(new URLSearchParams(query));

describe('parseAddParams', () => {
  it("defaults to kubo's: CIDv0, dag-pb leaves, 256 KiB chunks", () => {
    expect(parse('')).toEqual({ cidVersion: 0, rawLeaves: false, chunkSize: 262_144 });
  });

  it('ignores pin, progress and options that do not change the CID, as kubo clients send them', () => {
    expect(parse('stream-channels=true&pin=true&progress=false&quiet')).toEqual(parse(''));
  });

  it('makes raw leaves the default of CIDv1, like kubo, unless raw-leaves says otherwise', () => {
    expect(parse('cid-version=1')).toEqual({ cidVersion: 1, rawLeaves: true, chunkSize: 262_144 });
    expect(parse('cid-version=1&raw-leaves=false')).toMatchObject({ rawLeaves: false });
    expect(parse('raw-leaves=true')).toMatchObject({ cidVersion: 0, rawLeaves: true });
  });

  it('takes a fixed-size chunker', () => {
    expect(parse('chunker=size-1048576')).toMatchObject({ chunkSize: 1_048_576 });
  });

  it('refuses what would give another CID than asked, naming the option', () => {
    expect(() => parse('cid-version=2')).toThrow(/cid-version must be 0 or 1/);
    expect(() => parse('chunker=rabin')).toThrow(/chunker must be size-<bytes>/);
    expect(() => parse('chunker=size-0')).toThrow(StorageRequestError);
    expect(() => parse('hash=blake2b-256')).toThrow(/hash must be sha2-256/);
    expect(() => parse('trickle=true')).toThrow(/trickle is not supported/);
    expect(() => parse('wrap-with-directory=true')).toThrow(/wrap-with-directory/);
    expect(() => parse('raw-leaves=maybe')).toThrow(/raw-leaves must be true or false/);
  });
});
