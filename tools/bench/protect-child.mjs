// One protection in a fresh process, so its peak memory is its own: node protect-child.mjs <in> <out>
// Prints one JSON line: seconds, bytes written, checksum, peak RSS.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { protect } from '@confidant/protected-data';
import { fileLeaf, nodeCrypto } from '@confidant/protected-data/node';

const [input, output] = process.argv.slice(2);
const started = performance.now();
const protectedData = await protect({ file: await fileLeaf(input) }, { crypto: nodeCrypto });
const out = createWriteStream(output);
let written = 0;
for await (const chunk of protectedData.chunks) {
  written += chunk.length;
  if (!out.write(chunk)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const checksum = await protectedData.checksum;
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, written, checksum, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
