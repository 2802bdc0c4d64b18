import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appLaunchOf, buildAppImage, launchArgs, storeBuiltImage } from './appImage.js';
import { buildImage } from './buildImage.js';
import { ImageBuildError, ImageLaunchError } from './errors.js';
import { openImage } from './openImage.js';

describe('iApp images', () => {
  it('start the entrypoint with its runtime, and read back as the same launch', async () => {
    const node = await buildAppImage({ files: { 'src/app.js': 'console.log(1)' }, runtime: 'node', entrypoint: 'src/app.js' });
    expect(node.imageConfig.config).toMatchObject({ Entrypoint: ['node', '/app/src/app.js'], WorkingDir: '/app' });
    expect(appLaunchOf(node.imageConfig)).toEqual({
      runtime: 'node',
      script: 'app/src/app.js',
      args: [],
      defaultArgs: [],
      workingDir: 'app',
      env: {},
    });
    const python = await buildAppImage({ files: { 'app.py': 'print(1)' }, runtime: 'python', entrypoint: 'app.py' });
    expect(appLaunchOf(python.imageConfig)).toMatchObject({ runtime: 'python', script: 'app/app.py', args: [] });
    // Same files, same digest: the checksum on chain is the measurement the enclave reports.
    expect((await buildAppImage({ files: { 'app.py': 'print(1)' }, runtime: 'python', entrypoint: 'app.py' })).manifestDigest).toBe(
      python.manifestDigest,
    );
  });

  it('reads images built elsewhere: any path to the runtime, relative scripts, Cmd and Env', async () => {
    const image = await buildImage({
      files: { 'main.py': 'print(1)' },
      workingDir: '/srv',
      entrypoint: ['/usr/local/bin/python3', 'main.py'],
      cmd: ['--verbose'],
      env: { MODE: 'a=b' },
    });
    const launch = appLaunchOf(image.imageConfig);
    expect(launch).toEqual({
      runtime: 'python',
      script: 'srv/main.py',
      args: [],
      defaultArgs: ['--verbose'],
      workingDir: 'srv',
      env: { MODE: 'a=b' },
    });
    // As `docker run`: the task's arguments replace Cmd's; without any, Cmd's are given.
    expect(launchArgs(launch, ['x'])).toEqual(['x']);
    expect(launchArgs(launch, [])).toEqual(['--verbose']);
    const fixed = await buildImage({ files: { 'a.js': '' }, entrypoint: ['node', '/app/a.js', '--fixed'], cmd: ['default'] });
    expect(launchArgs(appLaunchOf(fixed.imageConfig), ['task'])).toEqual(['--fixed', 'task']);
  });

  it('refuses what the simulated enclave cannot start, and apps without their entrypoint', async () => {
    const launch = async (entrypoint: string[]) => appLaunchOf((await buildImage({ files: { a: 'x' }, entrypoint })).imageConfig);
    await expect(launch(['sh', '-c', 'node a'])).rejects.toThrow(ImageLaunchError);
    await expect(launch(['node', '--inspect', 'a'])).rejects.toThrow('the image runs node without a script (it passes --inspect)');
    await expect(launch([])).rejects.toThrow('the image has no entrypoint');
    await expect(buildAppImage({ files: { 'a.js': '' }, runtime: 'node', entrypoint: 'b.js' })).rejects.toThrow(ImageBuildError);
    await expect(buildAppImage({ files: { 'a.js': '' }, runtime: 'ruby' as never, entrypoint: 'a.js' })).rejects.toThrow(ImageBuildError);
  });

  it('stores a built image as a pull would, for openImage to verify', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'oci-store-'));
    try {
      const image = await buildAppImage({ files: { 'app.js': 'console.log(1)' }, runtime: 'node', entrypoint: 'app.js' });
      await storeBuiltImage(image, storeDir);
      const opened = await openImage({ storeDir, digest: image.manifestDigest });
      expect(opened.manifestDigest).toBe(image.manifestDigest);
      expect(appLaunchOf(opened.config).script).toBe('app/app.js');
    } finally {
      await rm(storeDir, { recursive: true, force: true });
    }
  });
});
