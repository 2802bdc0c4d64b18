import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, ImageReferenceError } from '@confidant/oci';
import type { Hex } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { MeasurementMismatchError } from '../errors.js';
import { storeAppImage, storeImage } from '../test-support/appImages.js';
import { prepareAppImage } from './appImage.js';

const root = mkdtempSync(join(tmpdir(), 'confidant-app-image-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareAppImage', () => {
  it('verifies and unpacks an image: its digest as measurement, how it starts, its files with their exec bits', async () => {
    const stored = await storeAppImage(
      root,
      { 'src/app.js': 'console.log(1)', 'bin/tool': { data: '#!/bin/sh\n', executable: true }, 'package.json': '{}' },
      { runtime: 'node', entrypoint: 'src/app.js' },
    );
    const appDir = join(root, 'unpacked');
    const prepared = await prepareAppImage({
      storeDir: stored.storeDir,
      digest: stored.digest,
      appDir,
      expectedMeasurement: stored.measurement.toUpperCase().replace('0X', '0x') as Hex,
    });
    expect(prepared).toEqual({
      measurement: `0x${stored.digest.slice('sha256:'.length)}`,
      launch: { runtime: 'node', script: 'app/src/app.js', args: [], defaultArgs: [], workingDir: 'app', env: {} },
      files: 3,
    });
    expect(readFileSync(join(appDir, 'app/src/app.js'), 'utf8')).toBe('console.log(1)');
    expect(statSync(join(appDir, 'app/bin/tool')).mode & 0o111).not.toBe(0);
  });

  it('refuses a digest other than the expected measurement before reading the store', async () => {
    const digest = `sha256:${'cd'.repeat(32)}`;
    const attempt = prepareAppImage({
      storeDir: join(root, 'no-such-store'),
      digest,
      appDir: join(root, 'never'),
      expectedMeasurement: `0x${'ab'.repeat(32)}`,
    });
    await expect(attempt).rejects.toThrow(MeasurementMismatchError);
    await expect(attempt).rejects.toThrow(
      `the app image measures 0x${'cd'.repeat(32)}, but the app's on-chain checksum is 0x${'ab'.repeat(32)}`,
    );
    await expect(prepareAppImage({ storeDir: root, digest: 'latest', appDir: join(root, 'never') })).rejects.toThrow(ImageReferenceError);
  });

  it('refuses an image whose script is not one of its files', async () => {
    const stored = await storeImage(root, await buildImage({ files: { 'app.js': '' }, entrypoint: ['node', 'main.js'] }));
    await expect(
      prepareAppImage({ storeDir: stored.storeDir, digest: stored.digest, appDir: join(root, 'no-script') }),
    ).rejects.toMatchObject({
      name: 'ImageLaunchError',
      shortMessage: "the image's script /app/main.js is not a file of the image",
    });
  });
});
