import { StorageRequestError } from './errors.js';

export type MultipartPart = {
  /** The form field's name (`name` in Content-Disposition). */
  name: string | undefined;
  /** The file's name (`filename`), percent-decoded like kubo does. */
  filename: string | undefined;
  /** The part's Content-Type, lower-cased, without parameters. */
  contentType: string | undefined;
  /** The part's bytes as they arrive; what is left unread is skipped when the next part is asked for. */
  body: AsyncIterable<Uint8Array>;
};

const CRLF = Buffer.from('\r\n');
const CLOSE = Buffer.from('--');
const MAX_HEADER_LINE = 16 * 1024;
const MAX_HEADERS = 32;
const badBody = (reason: string) =>
  new StorageRequestError(
    `the multipart body is malformed: ${reason}`,
    'Send multipart/form-data with one file part, e.g. a FormData with a Blob appended under "file".',
  );

/**
 * The boundary of a `multipart/form-data` (or `multipart/mixed`) Content-Type header.
 *
 * @example
 * multipartBoundary('multipart/form-data; boundary=----abc'); // '----abc'
 */
export function multipartBoundary(contentType: string | undefined): string {
  const [type, ...parameters] = (contentType ?? '').split(';');
  const mediaType = type?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data' && mediaType !== 'multipart/mixed') {
    throw new StorageRequestError(
      `expected a multipart/form-data body, got ${contentType ? `"${contentType}"` : 'no Content-Type'}`,
      'Send the file as multipart/form-data, as kubo clients do (a FormData with a Blob appended under "file").',
    );
  }
  for (const parameter of parameters) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(parameter);
    const boundary = match?.[1] ?? match?.[2];
    if (boundary) return boundary;
  }
  throw new StorageRequestError(
    'the multipart Content-Type has no valid boundary',
    'Let the HTTP client set the Content-Type of a FormData body itself.',
  );
}

/**
 * Reads a multipart body as it arrives: yields each part with its headers and a stream of its bytes,
 * never holding more than one incoming chunk in memory. Read a part's body before asking for the
 * next part, or it is skipped. Throws {@link StorageRequestError} on a malformed or truncated body.
 *
 * @example
 * for await (const part of parseMultipart(request[Symbol.asyncIterator](), boundary)) {
 *   for await (const bytes of part.body) hash.update(bytes);
 * }
 */
export async function* parseMultipart(source: AsyncIterator<Uint8Array>, boundary: string): AsyncGenerator<MultipartPart> {
  const reader = new Reader(source);
  // The first boundary may open the body; reading as if a line break came before it finds it either way.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  for await (const _preamble of reader.until(delimiter)) {
    // A preamble is allowed and means nothing.
  }
  for (;;) {
    if (await reader.startsWith(CLOSE)) return; // the closing boundary; an epilogue means nothing either
    if ((await reader.line()).trim() !== '') throw badBody('unexpected text after a boundary');
    const headers = await readHeaders(reader);
    const content = reader.until(delimiter);
    let finished = false;
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const result = await content.next();
          if (result.done) finished = true;
          return result;
        },
        // A reader that stops early leaves the rest of the part to be skipped below.
        return: async () => ({ done: true, value: undefined }),
      }),
    };
    yield { ...describePart(headers), body };
    while (!finished) finished = (await content.next()).done === true;
  }
}

async function readHeaders(reader: Reader): Promise<Map<string, string>> {
  const headers = new Map<string, string>();
  for (let count = 0; ; count++) {
    const line = await reader.line();
    if (line === '') return headers;
    if (count === MAX_HEADERS) throw badBody(`a part has more than ${MAX_HEADERS} headers`);
    const colon = line.indexOf(':');
    if (colon <= 0) throw badBody(`a part header is not "name: value": ${JSON.stringify(line.slice(0, 80))}`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}

function describePart(headers: Map<string, string>): Omit<MultipartPart, 'body'> {
  const disposition = headers.get('content-disposition') ?? '';
  const contentType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
  const filename = dispositionParameter(disposition, 'filename');
  return {
    name: dispositionParameter(disposition, 'name'),
    filename: filename === undefined ? undefined : percentDecode(filename),
    contentType,
  };
}

function dispositionParameter(disposition: string, key: string): string | undefined {
  const pattern = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const match = pattern.exec(disposition);
  if (!match) return undefined;
  return match[1] === undefined ? match[2] : match[1].replace(/\\(.)/g, '$1');
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Bytes from an async source, with look-ahead kept to what finding a delimiter needs. */
class Reader {
  private buffer: Buffer = Buffer.from(CRLF);
  private ended = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Yields the bytes before the next `delimiter`, then consumes it. */
  async *until(delimiter: Buffer): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at !== -1) {
        const before = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        if (before.length > 0) yield before;
        return;
      }
      // Everything but a possible start of the delimiter can go.
      const safe = this.buffer.length - (delimiter.length - 1);
      if (safe > 0) {
        const bytes = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield bytes;
      }
      if (!(await this.fill())) throw badBody('it ends before its closing boundary');
    }
  }

  /** The next line, without its CRLF. */
  async line(): Promise<string> {
    const parts: Uint8Array[] = [];
    let length = 0;
    for await (const bytes of this.until(CRLF)) {
      length += bytes.length;
      if (length > MAX_HEADER_LINE) throw badBody(`a header line is longer than ${MAX_HEADER_LINE} bytes`);
      parts.push(bytes);
    }
    return Buffer.concat(parts).toString('utf8');
  }

  /** Whether the next bytes are `prefix` (without consuming them). */
  async startsWith(prefix: Buffer): Promise<boolean> {
    while (this.buffer.length < prefix.length && (await this.fill()));
    return this.buffer.subarray(0, prefix.length).equals(prefix);
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return true;
  }
}
