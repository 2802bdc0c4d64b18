// What the IPFS client does with answers the local storage never gives (a stand-in fetch plays the
// node). The client against the real storage is tested in packages/storage/test/ipfsClient.test.ts.
import { describe, expect, it } from 'vitest';
import { createIpfsClient, fetchContent, IpfsError } from '../src/index.js';

const CID = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';

/** A client whose node answers `answer` to every request, recording what it was sent. */
function clientAnswering(answer: () => Response) {
  const sent: { url: string; init: RequestInit | undefined; body: string }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const body =
      init?.body instanceof Blob
        ? await init.body.text()
        : init?.body instanceof ReadableStream
          ? await new Response(init.body).text()
          : '';
    sent.push({ url, init, body });
    return answer();
  }) as typeof globalThis.fetch;
  return { sent, ipfs: createIpfsClient({ apiUrl: 'http://node:5001/', gatewayUrl: 'http://gateway/', fetch }) };
}

async function failure(promise: Promise<unknown>): Promise<IpfsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IpfsError);
  return error as IpfsError;
}

describe('the IPFS client', () => {
  it('sends one multipart file part, asking kubo for a pinned CIDv0, and reads the last line of its answer', async () => {
    const { sent, ipfs } = clientAnswering(
      () => new Response(`{"Name":"a","Bytes":5}\n${JSON.stringify({ Name: 'a "b"', Hash: CID, Size: '20' })}\n`),
    );
    expect(await ipfs.add(new TextEncoder().encode('hello'), { name: 'a "b"\r\n' })).toBe(CID);
    const [request] = sent;
    expect(request?.url).toBe('http://node:5001/api/v0/add?cid-version=0&pin=true&progress=false');
    expect(request?.init?.redirect).toBe('error');
    const boundary = /boundary=(.+)$/.exec(new Headers(request?.init?.headers).get('content-type') ?? '')?.[1];
    expect(request?.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a %22b%22%0D%0A"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n--${boundary}--\r\n`,
    );
  });

  it('gathers a byte source into a Blob where request bodies cannot stream', async () => {
    const sent: string[] = [];
    const fetch = (async (_url: string, init?: RequestInit) => {
      expect(init?.body).toBeInstanceOf(Blob);
      expect(init).not.toHaveProperty('duplex');
      sent.push(await (init?.body as Blob).text());
      return new Response(JSON.stringify({ Hash: CID, Size: '5' }));
    }) as typeof globalThis.fetch;
    const ipfs = createIpfsClient({ apiUrl: 'http://node', gatewayUrl: 'http://node', fetch, streamUploads: false });
    expect(await ipfs.add([new TextEncoder().encode('hel'), new TextEncoder().encode('lo')])).toBe(CID);
    expect(sent[0]).toContain('\r\n\r\nhello\r\n--');
  });

  it('refuses an answer without a CID, and one that stored fewer bytes than were sent', async () => {
    const notJson = await failure(clientAnswering(() => new Response('<html>proxy error</html>')).ipfs.add(new Uint8Array(3)));
    expect(notJson).toMatchObject({ reason: 'malformed', operation: 'add', url: 'http://node:5001', body: '<html>proxy error</html>' });
    expect(notJson.shortMessage).toBe('the IPFS API answered the upload without a CID');
    expect((await failure(clientAnswering(() => new Response('{"Hash":""}')).ipfs.add(new Uint8Array(3)))).reason).toBe('malformed');

    const short = clientAnswering(() => new Response(JSON.stringify({ Hash: CID, Size: 2 }))).ipfs;
    const incomplete = await failure(short.add([new Uint8Array(3)]));
    expect(incomplete).toMatchObject({ reason: 'incomplete' });
    expect(incomplete.shortMessage).toBe('the IPFS API stored 2 bytes of 3');
    expect((await failure(short.add([new Uint8Array(1)], { size: 10 }))).shortMessage).toBe('the IPFS API stored 2 bytes of 10');
  });

  it('says when a download stops before its end, and stops one that outgrows its limit', async () => {
    const broken = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(8));
            controller.error(new TypeError('terminated'));
          },
        }),
      );
    const { ipfs } = clientAnswering(broken);
    const bytes = await ipfs.cat(CID);
    const read = async () => {
      for await (const _ of bytes);
    };
    const interrupted = await failure(read());
    expect(interrupted).toMatchObject({ reason: 'interrupted', timedOut: false, url: `http://gateway/ipfs/${CID}` });
    expect(interrupted.shortMessage).toBe(`the download of /ipfs/${CID} stopped before its end`);

    // No Content-Length: the limit is held while reading.
    const endless = () => new Response(new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1024)) }));
    const tooLarge = await failure(
      (async () => {
        for await (const _ of await fetchContent('http://example.com/big', {
          fetch: (async () => endless()) as typeof fetch,
          maxBytes: 10_000,
        }));
      })(),
    );
    expect(tooLarge).toMatchObject({ reason: 'too-large' });
    expect(tooLarge.shortMessage).toBe('http://example.com/big is larger than 10000 bytes');
  });
});
