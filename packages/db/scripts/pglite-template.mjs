// Build step: an initialised, empty PGlite cluster saved next to the compiled code, as a tar (for
// in-memory databases) and as a folder (for on-disk ones).
// Creating a cluster (initdb) costs seconds of CPU; starting from this copy costs a fraction of it,
// which is what keeps `confidant dev` and every test database quick. The stamp records the PGlite
// version it was made with: `openDatabase` ignores a template from another version.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8'));

const started = performance.now();
const pg = await PGlite.create('memory://');
const tar = await pg.dumpDataDir('none');
await pg.close();
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'pglite-template.tar'), Buffer.from(await tar.arrayBuffer()));
// The same cluster as files: a new on-disk database is a copy of this folder (faster than untarring).
rmSync(join(dist, 'pglite-template'), { recursive: true, force: true });
await (await PGlite.create(join(dist, 'pglite-template'), { loadDataDir: tar })).close();
writeFileSync(join(dist, 'pglite-template.json'), `${JSON.stringify({ pglite: version })}\n`);
process.stdout.write(
  `PGlite ${version} template: ${(tar.size / 2 ** 20).toFixed(1)} MiB in ${Math.round(performance.now() - started)} ms\n`,
);
