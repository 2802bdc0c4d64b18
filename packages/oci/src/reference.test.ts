import { describe, expect, it } from 'vitest';
import { checksumOfDigest, type Digest, digestOf, digestOfChecksum } from './digest.js';
import { ImageReferenceError } from './errors.js';
import { formatImageReference, parseImageReference, registryBaseUrl } from './reference.js';

const digest: Digest = `sha256:${'ab'.repeat(32)}`;

describe('parseImageReference', () => {
  it.each([
    ['127.0.0.1:5000/confidant/hello:1.0.0', { registry: '127.0.0.1:5000', repository: 'confidant/hello', tag: '1.0.0' }],
    [`docker.io/alice/x@${digest}`, { registry: 'docker.io', repository: 'alice/x', digest }],
    ['alice/x:1', { registry: 'docker.io', repository: 'alice/x', tag: '1' }],
    ['node', { registry: 'docker.io', repository: 'library/node' }],
    ['index.docker.io/node:20', { registry: 'docker.io', repository: 'library/node', tag: '20' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [`ghcr.io/org/team/app:v1@${digest}`, { registry: 'ghcr.io', repository: 'org/team/app', tag: 'v1', digest }],
    ['[::1]:5000/a_b/c-d', { registry: '[::1]:5000', repository: 'a_b/c-d' }],
  ])('reads %s as Docker does', (input, expected) => {
    expect(parseImageReference(input)).toEqual(expected);
  });

  it.each([
    ['alice/X', 'a capital letter in the repository'],
    ['docker.io/Alice/x', 'capital letters'],
    ['alice/x:', 'an empty tag'],
    ['alice/x@sha256:abc', 'a short digest'],
    ['http://127.0.0.1:5000/x', 'a URL'],
    ['127.0.0.1:5000/', 'no repository'],
    [`alice/x:${'t'.repeat(129)}`, 'a tag of 129 characters'],
  ])('refuses %s (%s)', (input) => {
    expect(() => parseImageReference(input)).toThrow(ImageReferenceError);
  });

  it('writes a reference back with its registry', () => {
    expect(formatImageReference(parseImageReference('node:20'))).toBe('docker.io/library/node:20');
    expect(formatImageReference({ registry: '127.0.0.1:5000', repository: 'confidant/hello', tag: '1', digest })).toBe(
      `127.0.0.1:5000/confidant/hello:1@${digest}`,
    );
  });

  it('reaches loopback registries over http, others over https, Docker Hub at registry-1', () => {
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('[::1]:5000')).toBe('http://[::1]:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('127.0.0.1.example.com')).toBe('https://127.0.0.1.example.com');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
});

describe('digests and iExec checksums', () => {
  it('hashes bytes as OCI names them', () => {
    expect(digestOf(new Uint8Array(0))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('converts a manifest digest to the app checksum and back', () => {
    expect(checksumOfDigest(digest)).toBe(`0x${'ab'.repeat(32)}`);
    expect(digestOfChecksum(`0x${'AB'.repeat(32)}`)).toBe(digest);
    expect(() => checksumOfDigest('sha512:ab')).toThrow(ImageReferenceError);
    expect(() => digestOfChecksum('0x1234')).toThrowErrorMatchingInlineSnapshot(`
      [ImageReferenceError: "0x1234" is not an app checksum (0x and 64 hex digits)

      → A Docker app registered with iExec has the sha256 of its image manifest as checksum; register it again with \`0x\` + that digest.]
    `);
  });
});
