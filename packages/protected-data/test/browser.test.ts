import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cidToMultiaddr, InvalidCidError, multiaddrToLocation } from '../src/index.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/**
 * Every module the file loads at run time (`import type` is erased), followed through relative
 * imports and workspace packages' sources.
 */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const specifiers = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] as string,
  );
  seen.set(file, specifiers);
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) importGraph(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen);
    else if (specifier.startsWith('@confidant/')) {
      // Workspace packages are linked into node_modules; their sources sit beside their manifest.
      importGraph(join(src, '..', 'node_modules', specifier, 'src', 'index.ts'), seen);
    }
  }
  return seen;
}

describe('the browser entry', () => {
  it('imports nothing from Node, directly or through another module', () => {
    const graph = importGraph(join(src, 'browser.ts'));
    const external = [...new Set([...graph.values()].flat().filter((specifier) => !specifier.startsWith('.')))].sort();
    expect(external).toEqual(['@confidant/errors', '@noble/hashes/sha2']);
    expect([...graph.keys()].map((file) => file.slice(file.lastIndexOf('/') + 1))).not.toContain('node.ts');
    expect([...graph.keys()].map((file) => file.slice(file.lastIndexOf('/') + 1))).not.toContain('nodeCrypto.ts');
  });

  it('the platform export picks WebCrypto where Node is not the condition', () => {
    const manifest = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8'));
    expect(manifest.exports['./platform'].default).toBe('./dist/platform.web.js');
    expect(manifest.exports['./platform'].node.default).toBe('./dist/platform.node.js');
    expect([...importGraph(join(src, 'platform.web.ts')).values()].flat().some((specifier) => specifier.startsWith('node:'))).toBe(false);
  });
});

describe('multiaddrs', () => {
  it('writes /p2p/<CIDv0> in binary and reads it back as /ipfs/<cid>', () => {
    const multiaddr = cidToMultiaddr('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o');
    expect(multiaddr.startsWith('0xa50322122')).toBe(true);
    expect(multiaddr.length).toBe(2 + 37 * 2);
    expect(multiaddrToLocation(multiaddr)).toEqual({
      kind: 'ipfs',
      cid: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
      path: '/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    });
  });

  it('reads bytes that are not a multiaddr as a URL, and refuses what is not a CIDv0', () => {
    expect(multiaddrToLocation(`0x${Buffer.from('https://example.com/data.enc').toString('hex')}`)).toEqual({
      kind: 'url',
      url: 'https://example.com/data.enc',
    });
    expect(() => cidToMultiaddr('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')).toThrow(InvalidCidError);
    expect(() => cidToMultiaddr('Qm0000000000000000000000000000000000000000000O')).toThrow('is not a base58 character');
  });
});
