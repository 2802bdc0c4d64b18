import { describe, expect, it } from 'vitest';
import { StorageRequestError } from './errors.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

const boundary = 'XyZ-boundary';
const body = [
  'a preamble that means nothing\r\n',
  `--${boundary}\r\n`,
  'Content-Disposition: form-data; name="file"; filename="a%20b%22c.txt"\r\n',
  'Content-Type: Text/Plain; charset=utf-8\r\n',
  '\r\n',
  // Looks like a delimiter but is not one: no line break before it, or only its start.
  `first --${boundary} still the first\r\n--XyZ-bound`,
  `\r\n--${boundary}\r\n`,
  'content-disposition: form-data; name=other\r\n',
  '\r\n',
  '',
  `\r\n--${boundary}--\r\n`,
  'an epilogue that means nothing',
].join('');

async function collect(chunks: Uint8Array[]) {
  async function* source() {
    yield* chunks;
  }
  const parts = [];
  for await (const part of parseMultipart(source(), boundary)) {
    const pieces: Uint8Array[] = [];
    for await (const bytes of part.body) pieces.push(bytes);
    parts.push({ name: part.name, filename: part.filename, contentType: part.contentType, text: Buffer.concat(pieces).toString() });
  }
  return parts;
}

function split(text: string, every: number): Uint8Array[] {
  const bytes = Buffer.from(text);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += every) chunks.push(bytes.subarray(i, i + every));
  return chunks;
}

describe('parseMultipart', () => {
  const expected = [
    { name: 'file', filename: 'a b"c.txt', contentType: 'text/plain', text: `first --${boundary} still the first\r\n--XyZ-bound` },
    { name: 'other', filename: undefined, contentType: undefined, text: '' },
  ];

  it.each([1, 2, 3, 7, 13, 64, 100_000])('reads every part whatever the chunks (%i bytes)', async (every) => {
    expect(await collect(split(body, every))).toEqual(expected);
  });

  it('accepts a body that opens with its boundary and closes without a line break', async () => {
    const parts = await collect(
      split(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="x"\r\n\r\nabc\r\n--${boundary}--`, 5),
    );
    expect(parts).toEqual([{ name: 'file', filename: 'x', contentType: undefined, text: 'abc' }]);
  });

  it('skips what a reader left of a part', async () => {
    async function* source() {
      yield* split(body, 3);
    }
    const names = [];
    for await (const part of parseMultipart(source(), boundary)) names.push(part.name);
    expect(names).toEqual(['file', 'other']);
  });

  it('refuses a body that ends before its closing boundary', async () => {
    await expect(collect(split(`--${boundary}\r\n\r\nabc`, 2))).rejects.toThrow(StorageRequestError);
    await expect(collect(split(`--${boundary}\r\n\r\nabc\r\n--${boundary}`, 2))).rejects.toThrow(/malformed/);
    await expect(collect(split('no boundary at all', 4))).rejects.toThrow(/closing boundary/);
  });

  it('refuses a header that is not "name: value"', async () => {
    await expect(collect(split(`--${boundary}\r\nnonsense\r\n\r\nabc\r\n--${boundary}--`, 4))).rejects.toThrow(/name: value/);
  });
});

describe('multipartBoundary', () => {
  it('reads the boundary of a form-data Content-Type, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk')).toBe('----WebKitFormBoundary7MA4YWxk');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; BOUNDARY="a b"')).toBe('a b');
  });

  it('refuses another type or a missing boundary', () => {
    expect(() => multipartBoundary('application/json')).toThrow(/expected a multipart\/form-data body/);
    expect(() => multipartBoundary(undefined)).toThrow(StorageRequestError);
    expect(() => multipartBoundary('multipart/form-data')).toThrow(/no valid boundary/);
  });
});
