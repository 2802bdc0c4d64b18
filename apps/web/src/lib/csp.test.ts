import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, endpointOrigins, newNonce } from './csp';

describe('the Content-Security-Policy', () => {
  it('allows scripts and styles only from this origin with the nonce, and no framing, plugins or inline code', () => {
    const policy = contentSecurityPolicy('abc', {
      connectTo: ['http://127.0.0.1:8545', 'http://127.0.0.1:13300', 'http://127.0.0.1:8545'],
    });
    const directives = Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['script-src']).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(directives['style-src']).toBe("'self' 'nonce-abc'");
    expect(directives['connect-src']).toBe("'self' http://127.0.0.1:8545 http://127.0.0.1:13300");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy('abc', { development: true })).toContain("'unsafe-eval'");
  });

  it("lets scripts reach the network's chain, SMS and storage origins, and nothing else", () => {
    const origins = endpointOrigins({
      rpcUrl: 'http://127.0.0.1:8545/',
      smsUrl: 'http://127.0.0.1:13300/path',
      ipfsApiUrl: 'http://127.0.0.1:5001',
      ipfsGatewayUrl: 'http://127.0.0.1:5001/',
    });
    expect(origins).toEqual(['http://127.0.0.1:8545', 'http://127.0.0.1:13300', 'http://127.0.0.1:5001']);
    expect(endpointOrigins(undefined)).toEqual([]);
    expect(contentSecurityPolicy('n')).toContain("connect-src 'self';");
  });

  it('makes a new 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
