import type { ByteSource } from './bytes.js';
import { CorruptedDataError, UnsupportedPlatformError } from './errors.js';

const noop = () => undefined;

function createInflater(): DecompressionStream {
  try {
    return new DecompressionStream('deflate-raw');
  } catch (cause) {
    throw new UnsupportedPlatformError(
      'DecompressionStream("deflate-raw"), which inflates DEFLATE entries of ZIP archives,',
      `Use Node 20.12 or later, or a current browser (Chrome 103, Firefox 113, Safari 16.4 or later)${cause instanceof Error ? `; this one said: ${cause.message}` : ''}.`,
    );
  }
}

/**
 * Inflates the raw DEFLATE bytes of a ZIP entry with the platform's DecompressionStream (browsers,
 * Node 20.12+), never past the size the entry declares: a zip bomb stops as soon as it inflates one
 * byte too many, with a CorruptedDataError; so does damaged input or output shorter than declared.
 * The caller checks the CRC.
 *
 * @example
 * const data = await collect(inflateRaw([compressed], { path: 'result.txt', size: 1234 }));
 */
export async function* inflateRaw(source: ByteSource, entry: { path: string; size: number }): AsyncGenerator<Uint8Array> {
  const inflater = createInflater();
  const writer = inflater.writable.getWriter();
  const reader = inflater.readable.getReader();
  // The input is written while the output is read: the stream's backpressure keeps the two in step.
  let sourceError: unknown;
  const pump = (async () => {
    try {
      for await (const chunk of source) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (error) {
      // A failing source ends the output with its own error; a cancelled output ends the writes.
      sourceError ??= error;
      await writer.abort(error).catch(noop);
    }
  })();
  let total = 0;
  let finished = false;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (cause) {
        if (sourceError !== undefined) throw sourceError;
        throw new CorruptedDataError(`entry ${entry.path} is not valid DEFLATE data${cause instanceof Error ? ` (${cause.message})` : ''}`);
      }
      if (next.done) break;
      total += next.value.length;
      if (total > entry.size) throw new CorruptedDataError(`entry ${entry.path} inflates to more than the ${entry.size} bytes it declares`);
      yield next.value;
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(noop);
    await pump;
  }
  if (total !== entry.size)
    throw new CorruptedDataError(`entry ${entry.path} inflates to ${total} bytes, not the ${entry.size} it declares`);
}
