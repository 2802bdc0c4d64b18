import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError } from './errors.js';
import { bundleManifest, listBundle, measureBundle, type AppDeclaration } from './measurement.js';

const root = mkdtempSync(join(tmpdir(), 'confidant-measure-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'src/app.js': 'console.log("hi")',
  'src/lib/util.js': 'export const x = 1',
  'package.json': '{"type":"module"}',
  'README.md': '# app',
};
const declaration: AppDeclaration = { runtime: 'node', entrypoint: 'src/app.js' };

function write(entries: Record<string, string>, order = Object.keys(entries)): string {
  const dir = mkdtempSync(join(root, 'bundle-'));
  for (const path of order) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), entries[path] as string);
  }
  return dir;
}

describe('measureBundle', () => {
  it('is the same for the same bundle in two folders, written in another order at another time', async () => {
    const a = write(files);
    const b = write(files, Object.keys(files).reverse());
    utimesSync(join(b, 'src/app.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const measurement = await measureBundle(a, declaration);
    expect(measurement).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await measureBundle(b, declaration)).toBe(measurement);
  });

  it('changes with one byte, a renamed file, an added file, the entrypoint, the runtime, the exec bit', async () => {
    const base = await measureBundle(write(files), declaration);
    const changed = new Set<string>([base]);
    const add = async (measurement: Promise<string>) => {
      const value = await measurement;
      expect(changed.has(value)).toBe(false);
      changed.add(value);
    };
    await add(measureBundle(write({ ...files, 'src/lib/util.js': 'export const x = 2' }), declaration));
    const renamed = write(files);
    renameSync(join(renamed, 'README.md'), join(renamed, 'README.txt'));
    await add(measureBundle(renamed, declaration));
    await add(measureBundle(write({ ...files, '.env': '' }), declaration));
    await add(measureBundle(write({ ...files, 'src/other.js': '' }), { runtime: 'node', entrypoint: 'src/other.js' }));
    await add(measureBundle(write({ ...files, 'src/app.py': '' }), { runtime: 'python', entrypoint: 'src/app.py' }));
    const executable = write(files);
    chmodSync(join(executable, 'src/app.js'), 0o755);
    await add(measureBundle(executable, declaration));
  });

  it('specifies its encoding: sha256 of the manifest of sorted entries and the declaration', async () => {
    const dir = write({ 'b.js': 'b', 'a.js': 'a' });
    const entries = await listBundle(dir);
    expect(entries.map((entry) => entry.path)).toEqual(['a.js', 'b.js']);
    expect(bundleManifest(entries, { runtime: 'node', entrypoint: 'a.js' })).toBe(
      `confidant-bundle-v1\nruntime node\nentrypoint a.js\na.js\0file\0${entries[0]?.sha256}\nb.js\0file\0${entries[1]?.sha256}\n`,
    );
    expect(entries[0]?.sha256).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
    const manifest = bundleManifest(entries, { runtime: 'node', entrypoint: 'a.js' });
    expect(await measureBundle(dir, { runtime: 'node', entrypoint: 'a.js' })).toBe(
      `0x${createHash('sha256').update(manifest).digest('hex')}`,
    );
  });

  it('measures links inside the bundle and refuses links that leave it', async () => {
    const inside = write(files);
    symlinkSync('lib/util.js', join(inside, 'src/alias.js'));
    expect((await listBundle(inside)).find((entry) => entry.path === 'src/alias.js')?.mode).toBe('link');
    const outside = write(files);
    symlinkSync('/etc/passwd', join(outside, 'passwd'));
    await expect(measureBundle(outside, declaration)).rejects.toThrow(BundleError);
    await expect(measureBundle(outside, declaration)).rejects.toThrow('the symbolic link passwd points outside the bundle');
    const escaping = write(files);
    symlinkSync('../../x', join(escaping, 'src/up'));
    await expect(measureBundle(escaping, declaration)).rejects.toThrow('points outside the bundle');
  });

  it('refuses an entrypoint that is not a file of the bundle, or leaves it', async () => {
    const dir = write(files);
    await expect(measureBundle(dir, { runtime: 'node', entrypoint: 'src/missing.js' })).rejects.toThrow('is not a file of the bundle');
    await expect(measureBundle(dir, { runtime: 'node', entrypoint: '../x.js' })).rejects.toThrow('not a normalised path inside the bundle');
    await expect(measureBundle(dir, { runtime: 'ruby' as never, entrypoint: 'src/app.js' })).rejects.toThrow('is not supported');
  });
});
