// The runner's side of the one IPFS client (@confidant/protected-data): its failures become the
// runner's own errors, with the runner's words. A stand-in fetch plays the storage.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResultStorageError, TaskInputError } from '../errors.js';
import { downloadToFile, uploadToIpfs } from './storage.js';

const dir = mkdtempSync(join(tmpdir(), 'confidant-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const storage = { apiUrl: 'http://node:5001/', gatewayUrl: 'http://node:8080' };
const CID = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
const answering = (answer: () => Response | Promise<Response>) => (async () => answer()) as typeof fetch;
const unreachable = (async () => {
  throw new TypeError('fetch failed');
}) as typeof fetch;
let files = 0;
const target = () => join(dir, `file-${++files}`);

describe('uploadToIpfs', () => {
  it('adds the result as one named file and returns its CID', async () => {
    let body = '';
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      body = await (init?.body as Blob).text();
      return new Response(`${JSON.stringify({ Name: 'iexec_out.zip', Hash: CID, Size: '120' })}\n`);
    }) as typeof fetch;
    expect(await uploadToIpfs(new Uint8Array(100), 'iexec_out.zip', storage, fetchImpl)).toBe(CID);
    expect(body).toContain('Content-Disposition: form-data; name="file"; filename="iexec_out.zip"');
  });

  it('says the storage refused, answered without a CID, or could not be reached', async () => {
    const refused = uploadToIpfs(
      new Uint8Array(1),
      'r',
      storage,
      answering(() => new Response('disk full', { status: 500 })),
    );
    await expect(refused).rejects.toThrow(ResultStorageError);
    await expect(refused).rejects.toThrow('the IPFS API refused the result (HTTP 500)');
    await expect(
      uploadToIpfs(
        new Uint8Array(1),
        'r',
        storage,
        answering(() => new Response('{}')),
      ),
    ).rejects.toThrow('the IPFS API answered the upload without a CID');
    await expect(uploadToIpfs(new Uint8Array(1), 'r', storage, unreachable)).rejects.toThrow(
      'the IPFS API at http://node:5001 could not be reached',
    );
  });
});

describe('downloadToFile', () => {
  const url = `http://node:8080/ipfs/${CID}`;

  it('writes the bytes to a new private file and returns their sha256 and size', async () => {
    const path = target();
    const result = await downloadToFile(url, path, { what: 'input file 1', fetch: answering(() => new Response('hello world\n')) });
    expect(result).toEqual({ sha256: `0x${createHash('sha256').update('hello world\n').digest('hex')}`, size: 12 });
    expect(readFileSync(path, 'utf8')).toBe('hello world\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('names what could not be downloaded, and why', async () => {
    const failed = (fetchImpl: typeof fetch, maxBytes?: number) =>
      downloadToFile(url, target(), { what: 'input file 1', fetch: fetchImpl, maxBytes });
    await expect(failed(unreachable)).rejects.toThrow(TaskInputError);
    await expect(failed(unreachable)).rejects.toThrow(`input file 1 could not be downloaded from ${url}`);
    await expect(failed(answering(() => new Response('gone', { status: 404 })))).rejects.toThrow(
      `input file 1 could not be downloaded from ${url} (HTTP 404)`,
    );
    await expect(
      failed(
        answering(() => new Response('hello world\n')),
        5,
      ),
    ).rejects.toThrow('input file 1 is larger than 5 bytes');
    const cut = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(4));
            controller.error(new TypeError('terminated'));
          },
        }),
      );
    await expect(failed(answering(cut))).rejects.toThrow(
      `input file 1 could not be downloaded from ${url}: the transfer failed or took too long`,
    );
    await expect(downloadToFile('ftp://node/x', target(), { what: 'input file 2' })).rejects.toThrow(
      'input file 2 is at ftp://node/x, which is not an http(s) URL',
    );
  });
});
