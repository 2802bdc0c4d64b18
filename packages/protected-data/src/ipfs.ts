import { BaseError } from '@confidant/errors';
import type { ByteSource } from './bytes.js';

/**
 * Why a transfer failed:
 * - `unreachable`: no answer came (connection refused, unknown host, or the time limit ran out first);
 * - `refused`: the node or server answered with an HTTP error (its status is kept);
 * - `malformed`: `add` answered without a CID;
 * - `incomplete`: `add` says it stored fewer bytes than were sent;
 * - `too-large`: a download is larger than its `maxBytes`;
 * - `interrupted`: a download's body stopped midway (connection lost, or the time limit ran out).
 */
export type IpfsFailure = 'unreachable' | 'refused' | 'malformed' | 'incomplete' | 'too-large' | 'interrupted';

const HINTS: Record<IpfsFailure, string> = {
  unreachable: 'Check that the URL is right and that the IPFS node (or server) is running and reachable from here.',
  refused: "Check that the content is stored there (the CID or URL is right), or read the IPFS node's log for why it refused.",
  malformed: 'Check that the IPFS API URL points at a kubo-compatible RPC API (POST /api/v0/add).',
  incomplete: "Upload again; if it keeps failing, check the IPFS node's disk and log.",
  'too-large': 'Use a smaller file, or raise the download limit.',
  interrupted: 'Download again from a connection that holds for the whole transfer, or raise the time limit.',
};

/** An upload to or a download from IPFS (a kubo RPC API, a gateway, an http(s) URL) that failed. */
export class IpfsError extends BaseError {
  override name = 'IpfsError';
  readonly reason: IpfsFailure;
  readonly operation: 'add' | 'get';
  /** The IPFS API's base URL (add) or the URL downloaded (get). */
  readonly url: string;
  /** The HTTP status of a refusal. */
  readonly status: number | undefined;
  /** The start of a refusal's body (at most 200 characters). */
  readonly body: string | undefined;
  /** True when the transfer's time limit ran out. */
  readonly timedOut: boolean;
  constructor(
    message: string,
    options: {
      reason: IpfsFailure;
      operation: 'add' | 'get';
      url: string;
      status?: number | undefined;
      body?: string | undefined;
      timedOut?: boolean | undefined;
      cause?: unknown;
    },
  ) {
    super(message, {
      hints: [HINTS[options.reason]],
      kind:
        options.reason === 'refused' && options.status === 404
          ? 'not-found'
          : options.reason === 'too-large'
            ? 'invalid-input'
            : 'unavailable',
      cause: options.cause,
    });
    this.reason = options.reason;
    this.operation = options.operation;
    this.url = options.url;
    this.status = options.status;
    this.body = options.body;
    this.timedOut = options.timedOut ?? false;
  }
}

export type IpfsClientOptions = {
  /** Base of a kubo RPC API: content is added at `${apiUrl}/api/v0/add`. */
  apiUrl: string;
  /** Base of an IPFS gateway: content is read at `${gatewayUrl}/ipfs/<cid>`. */
  gatewayUrl: string;
  fetch?: typeof fetch | undefined;
  /**
   * Whether uploads of a byte source stream (`ReadableStream` body, bounded memory). Default: where
   * there is no `window` (Node, Deno, Bun); browsers stream request bodies over HTTP/2 only, so there
   * a byte source is gathered into a `Blob` (which a browser may keep on disk) before it is sent.
   */
  streamUploads?: boolean | undefined;
};

export type IpfsTransferOptions = {
  /** Time limit of the whole transfer, answer and body included, in milliseconds; none by default. */
  timeoutMs?: number | undefined;
  /** Cancels the transfer; it then fails with the signal's reason. */
  signal?: AbortSignal | undefined;
};

export type IpfsAddOptions = IpfsTransferOptions & {
  /** The file name in the multipart body (kubo answers it as `Name`); default `file`. */
  name?: string | undefined;
  /** Bytes the source will give, when known: an answer with a smaller `Size` is refused. */
  size?: number | undefined;
};

export type IpfsGetOptions = IpfsTransferOptions & {
  /** Largest download: a larger one fails (at once when the server declares its length). */
  maxBytes?: number | undefined;
};

export type IpfsClient = {
  /**
   * Adds one file through kubo's RPC (`POST /api/v0/add`, one multipart part, CIDv0, pinned) and
   * returns its CID. A byte source is streamed as it is produced (see `streamUploads`); an error the
   * source throws (a file that changed, a cipher failure) is thrown as is.
   */
  add(content: ByteSource | Uint8Array | Blob, options?: IpfsAddOptions): Promise<string>;
  /** `GET <gateway>/ipfs/<cid>`: resolves once the gateway answers, to the bytes as they arrive. */
  cat(cid: string, options?: IpfsGetOptions): Promise<AsyncIterable<Uint8Array>>;
};

const trim = (url: string) => url.replace(/\/+$/, '');
const encoder = new TextEncoder();
const CID = /^[A-Za-z0-9]{46,100}$/;

/** As FormData escapes a file name in Content-Disposition. */
const quoted = (name: string) => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A time limit and the caller's signal as one signal; `timedOut` says which fired. */
function limit(options: IpfsTransferOptions): { signal: AbortSignal | undefined; timedOut(): boolean; done(): void } {
  const { timeoutMs, signal } = options;
  if (timeoutMs === undefined) return { signal, timedOut: () => false, done: () => undefined };
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new IpfsTimeout(timeoutMs));
  }, timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    },
  };
}

/** The reason a transfer is aborted with when its time limit runs out (wrapped in an IpfsError). */
class IpfsTimeout extends BaseError {
  override name = 'IpfsTimeout';
  constructor(ms: number) {
    super(`the transfer took longer than ${ms} ms`, { kind: 'unavailable' });
  }
}

function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

async function collectBlob(source: AsyncIterable<Uint8Array>): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of source) parts.push(chunk.slice() as Uint8Array<ArrayBuffer>);
  return new Blob(parts);
}

type AddFailure = (message: string, failure: { reason: 'malformed' | 'incomplete'; body?: string }) => IpfsError;

/** The CID of kubo's answer to an add, checked against the bytes sent. */
function cidOfAnswer(text: string, size: number, fail: AddFailure): string {
  // kubo answers one JSON line per file (and progress lines before them when asked): the last one is the file.
  const lines = text.trim().split('\n');
  let answer: { Hash?: unknown; Size?: unknown } | undefined;
  try {
    answer = JSON.parse(lines[lines.length - 1] ?? '') as { Hash?: unknown; Size?: unknown };
  } catch {
    answer = undefined;
  }
  const hash = answer?.Hash;
  if (typeof hash !== 'string' || !CID.test(hash))
    throw fail('the IPFS API answered the upload without a CID', { reason: 'malformed', body: text.slice(0, 200) });
  const stored = typeof answer?.Size === 'string' || typeof answer?.Size === 'number' ? Number(answer.Size) : undefined;
  // Size is the whole DAG's (the bytes and their links): never less than the bytes sent.
  if (stored !== undefined && stored < size)
    throw fail(`the IPFS API stored ${answer?.Size as string} bytes of ${size}`, { reason: 'incomplete' });
  return hash;
}

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;

/** Builds the IpfsError of a failed transfer (its operation and URL are the transfer's). */
type TransferFailure = (message: string, failure: Omit<ConstructorParameters<typeof IpfsError>[1], 'operation' | 'url'>) => IpfsError;

type Timing = ReturnType<typeof limit>;

/** The multipart frame of one add (a single `file` part), with what its content has done so far. */
type Multipart = {
  boundary: string;
  head: Uint8Array<ArrayBuffer>;
  tail: Uint8Array<ArrayBuffer>;
  /** Bytes of content sent (all of them for bytes or a Blob; so far for a byte source). */
  sent: number;
  /** Whether the byte source threw, and what: that error is thrown as is. */
  sourceFailed: boolean;
  sourceError: unknown;
};

function multipartFrame(name: string): Multipart {
  const boundary = `confidant-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  return { boundary, head, tail, sent: 0, sourceFailed: false, sourceError: undefined };
}

/** The frame's head, the source's bytes (counted) and the frame's tail; records the source's error. */
async function* multipartStream(part: Multipart, source: ByteSource): AsyncGenerator<Uint8Array> {
  yield part.head;
  try {
    for await (const chunk of source) {
      part.sent += chunk.length;
      yield chunk;
    }
  } catch (error) {
    part.sourceFailed = true;
    part.sourceError = error;
    throw error;
  }
  yield part.tail;
}

/** An add's request body: one Blob (bytes, a Blob, or a gathered byte source) or a stream. */
async function multipartBody(
  part: Multipart,
  content: ByteSource | Uint8Array | Blob,
  streamUploads: boolean,
): Promise<{ body: Blob | ReadableStream<Uint8Array>; streaming: boolean }> {
  if (content instanceof Uint8Array || isBlob(content)) {
    part.sent = content instanceof Uint8Array ? content.length : content.size;
    return { body: new Blob([part.head, content as Uint8Array<ArrayBuffer> | Blob, part.tail]), streaming: false };
  }
  if (streamUploads) return { body: toReadableStream(multipartStream(part, content)), streaming: true };
  return { body: await collectBlob(multipartStream(part, content)), streaming: false };
}

type AddRequest = {
  fetchImpl: typeof fetch;
  api: string;
  part: Multipart;
  body: Blob | ReadableStream<Uint8Array>;
  streaming: boolean;
  timing: Timing;
  options: IpfsAddOptions;
  fail: TransferFailure;
};

/** Why an add got no (whole) answer: the caller's abort reason as is, else an `unreachable` IpfsError. */
function addUnreachable({ api, timing, options, fail }: AddRequest, error: unknown): unknown {
  if (options.signal?.aborted) return options.signal.reason;
  return fail(
    timing.timedOut()
      ? `the upload to the IPFS API at ${api} took longer than ${options.timeoutMs} ms`
      : `the IPFS API at ${api} could not be reached`,
    { reason: 'unreachable', cause: error },
  );
}

/** Posts an add to kubo's RPC and reads the whole answer (a failed byte source's error is thrown as is). */
async function postAdd(request: AddRequest): Promise<{ response: Response; text: string }> {
  const { fetchImpl, api, part, body, streaming, timing } = request;
  let response: Response;
  try {
    // redirect 'error': Node's fetch (undici) clones a request it may redirect, and the clone's
    // copy of a streamed body is never read, so it would keep every byte sent (nodejs/undici#4058).
    // A streamed body cannot be sent twice anyway, and kubo's API does not redirect.
    const init: RequestInit & { duplex?: 'half' } = {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${part.boundary}` },
      body,
      redirect: 'error',
      signal: timing.signal,
    };
    if (streaming) init.duplex = 'half';
    response = await fetchImpl(`${api}/api/v0/add?cid-version=0&pin=true&progress=false`, init);
  } catch (error) {
    if (part.sourceFailed) throw part.sourceError;
    throw addUnreachable(request, error);
  }
  try {
    return { response, text: await response.text() };
  } catch (error) {
    throw addUnreachable(request, error);
  }
}

/**
 * A client of an IPFS node: kubo's RPC `add` for uploads and a gateway for downloads, over `fetch`
 * (Node and browsers alike). Failures are `IpfsError`s that say what failed and why (`reason`,
 * `status`, `timedOut`).
 *
 * @example
 * const ipfs = createIpfsClient({ apiUrl: 'http://127.0.0.1:5001', gatewayUrl: 'http://127.0.0.1:5001' });
 * const cid = await ipfs.add(new TextEncoder().encode('hello world\n')); // 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
 * for await (const chunk of await ipfs.cat(cid)) console.log(chunk.length);
 */
export function createIpfsClient(options: IpfsClientOptions): IpfsClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const api = trim(options.apiUrl);
  const gateway = trim(options.gatewayUrl);
  const streamUploads = options.streamUploads ?? typeof (globalThis as { window?: unknown }).window === 'undefined';

  async function add(content: ByteSource | Uint8Array | Blob, addOptions: IpfsAddOptions = {}): Promise<string> {
    const part = multipartFrame(addOptions.name ?? 'file');
    const timing = limit(addOptions);
    const fail: TransferFailure = (message, failure) =>
      new IpfsError(message, { ...failure, operation: 'add', url: api, timedOut: timing.timedOut() });
    try {
      const { body, streaming } = await multipartBody(part, content, streamUploads);
      const { response, text } = await postAdd({ fetchImpl, api, part, body, streaming, timing, options: addOptions, fail });
      if (!response.ok)
        throw fail(`the IPFS API refused the upload (HTTP ${response.status}): ${text.slice(0, 200)}`, {
          reason: 'refused',
          status: response.status,
          body: text.slice(0, 200),
        });
      return cidOfAnswer(text, addOptions.size ?? part.sent, fail);
    } finally {
      timing.done();
    }
  }

  return {
    add,
    cat: (cid, getOptions) =>
      openContent(
        `${gateway}/ipfs/${cid}`,
        { ...getOptions, fetch: fetchImpl },
        {
          unreachable: `the IPFS gateway at ${gateway} could not be reached`,
          refused: (status) => `the IPFS gateway has no ${cid} (HTTP ${status})`,
          what: `/ipfs/${cid}`,
        },
      ),
  };
}

/**
 * `GET <url>` (an http(s) URL: a gateway's `/ipfs/<cid>`, or any other): resolves once the server
 * answers, to the bytes as they arrive, with the failures, time limit and size limit of the IPFS
 * client's `cat`.
 *
 * @example
 * for await (const chunk of await fetchContent('https://example.com/data.csv', { maxBytes: 1 << 30 })) write(chunk);
 */
export function fetchContent(
  url: string,
  options: IpfsGetOptions & { fetch?: typeof fetch | undefined } = {},
): Promise<AsyncIterable<Uint8Array>> {
  return openContent(url, options, {
    unreachable: `${url} could not be reached`,
    refused: (status) => `${url} answered HTTP ${status}`,
    what: url,
  });
}

/** How a download's failures name what was asked. */
type Words = { unreachable: string; refused: (status: number) => string; what: string };

async function openContent(
  url: string,
  getOptions: IpfsGetOptions & { fetch?: typeof fetch | undefined },
  words: Words,
): Promise<AsyncIterable<Uint8Array>> {
  const timing = limit(getOptions);
  const fail = (message: string, failure: Omit<ConstructorParameters<typeof IpfsError>[1], 'operation' | 'url'>) =>
    new IpfsError(message, { ...failure, operation: 'get', url, timedOut: timing.timedOut() });
  let response: Response;
  try {
    response = await (getOptions.fetch ?? globalThis.fetch)(url, { redirect: 'follow', signal: timing.signal });
  } catch (error) {
    timing.done();
    if (getOptions.signal?.aborted) throw getOptions.signal.reason;
    throw fail(timing.timedOut() ? `${words.unreachable}: no answer within ${getOptions.timeoutMs} ms` : words.unreachable, {
      reason: 'unreachable',
      cause: error,
    });
  }
  const max = getOptions.maxBytes ?? Number.POSITIVE_INFINITY;
  const tooLarge = () => fail(`${words.what} is larger than ${max} bytes`, { reason: 'too-large' });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!response.ok || !response.body || declared > max) {
    timing.done();
    await response.body?.cancel().catch(() => undefined);
    if (response.ok && response.body) throw tooLarge();
    throw fail(words.refused(response.status), { reason: 'refused', status: response.status });
  }
  const reader = response.body.getReader();
  // Not every browser makes a ReadableStream async-iterable itself.
  return (async function* () {
    let finished = false;
    let received = 0;
    try {
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          if (getOptions.signal?.aborted) throw getOptions.signal.reason;
          throw fail(
            timing.timedOut()
              ? `the download of ${words.what} took longer than ${getOptions.timeoutMs} ms`
              : `the download of ${words.what} stopped before its end`,
            { reason: 'interrupted', cause: error },
          );
        }
        if (next.done) {
          finished = true;
          return;
        }
        received += next.value.length;
        if (received > max) throw tooLarge();
        yield next.value;
      }
    } finally {
      timing.done();
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  })();
}
