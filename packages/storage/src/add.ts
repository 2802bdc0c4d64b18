import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnixFS } from '@helia/unixfs';
import { parseAddParams } from './addParams.js';
import { StorageRequestError } from './errors.js';
import { kuboImportOptions, type KuboImportSettings } from './kuboImport.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

/** One line of kubo's answer to `add`; `Size` is the whole DAG's size, as a string like kubo's. */
export type AddedFile = { Name: string; Hash: string; Size: string };

/**
 * kubo's `POST /api/v0/add`: stores each file part of the multipart body as it streams in and
 * answers one JSON line per file, `{"Name","Hash","Size"}`, once all are stored.
 *
 * @example
 * server.on('request', (req, res) => handleAdd(fs, req, res, new URL(req.url, 'http://x').searchParams));
 */
export async function handleAdd(fs: UnixFS, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): Promise<void> {
  const settings = parseAddParams(query);
  const boundary = multipartBoundary(request.headers['content-type']);
  const body = request[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const added: AddedFile[] = [];
  try {
    for await (const part of parseMultipart(body, boundary)) {
      if (part.contentType === 'application/x-directory') {
        throw new StorageRequestError('the devnet storage adds files, not directories', 'Add each file on its own.');
      }
      const { cid, size } = await importFile(fs, part.body, settings);
      added.push({ Name: part.filename || cid, Hash: cid, Size: size.toString() });
    }
  } finally {
    // Whatever follows the closing boundary, or the rest of a refused body.
    discard(body);
  }
  if (added.length === 0)
    throw new StorageRequestError('the multipart body has no file', 'Append the file to the FormData, e.g. form.append("file", blob).');
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(added.map((file) => `${JSON.stringify(file)}\n`).join(''));
}

async function importFile(
  fs: UnixFS,
  content: AsyncIterable<Uint8Array>,
  settings: KuboImportSettings,
): Promise<{ cid: string; size: bigint }> {
  let root: { cid: string; size: bigint } | undefined;
  // Without a path nor a wrapping directory, the importer yields the file's root only.
  for await (const entry of fs.addAll([{ content }], kuboImportOptions(settings))) root = { cid: entry.cid.toString(), size: entry.size };
  if (!root) throw new StorageRequestError('the file part could not be imported', 'Send the file as one multipart part.');
  return root;
}

/** Reads what is left of a request, so that its client gets the answer and the connection stays usable. */
function discard(body: AsyncIterator<Uint8Array>): void {
  const next = (): Promise<void> =>
    body.next().then(
      (result) => (result.done ? undefined : next()),
      () => undefined,
    );
  void next();
}
