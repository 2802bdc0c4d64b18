import { isAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { createPocoClient } from './client.js';
import { MissingAddressesError, UnknownNetworkError } from './errors.js';
import { getNetwork, networks } from './networks.js';

describe('network presets', () => {
  it('names iExec public deployments with their chain ids and PoCo addresses', () => {
    expect(networks['arbitrum-sepolia-testnet'].chain.id).toBe(421614);
    expect(networks['arbitrum-mainnet'].chain.id).toBe(42161);
    expect(networks.local.chain.id).toBe(31337);
    expect(networks['arbitrum-mainnet'].addresses?.poco).toBe('0x098bFCb1E50ebcA0BaA92C12eA0c3F045A1aD9f0');
    expect(networks['arbitrum-sepolia-testnet'].addresses?.poco).toBe('0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E');
    expect(networks.local.addresses).toBeUndefined();
    expect(networks.local.enclaves).toBe('simulated');
    expect(networks['arbitrum-mainnet'].enclaves).toBe('hardware');
  });

  it('exposes the public services of the public presets, on the same hub as their PoCo deployment', () => {
    for (const name of ['arbitrum-sepolia-testnet', 'arbitrum-mainnet'] as const) {
      const { services, addresses } = networks[name];
      expect(services, name).toBeDefined();
      expect(services?.hub, `${name}: the services' hub is not our PoCo diamond`).toBe(addresses?.poco);
      for (const url of [services?.sms, services?.marketApi, services?.ipfsNode, services?.ipfsGateway]) {
        expect(url).toMatch(new RegExp(`^https://[a-z.-]+\\.${name}\\.iex\\.ec$`));
      }
      for (const url of [services?.pocoSubgraph, services?.dataProtectorSubgraph]) expect(url).toMatch(/^https:\/\//);
      expect(services?.pocoSubgraph).not.toBe(services?.dataProtectorSubgraph);
      expect(isAddress(services?.dataProtector ?? '')).toBe(true);
      expect(isAddress(services?.workerpool ?? '')).toBe(true);
    }
    expect(networks['arbitrum-mainnet'].services?.sms).toBe('https://sms.arbitrum-mainnet.iex.ec');
    expect(networks.local.services).toBeUndefined();
  });

  it('finds a preset by name or chain id', () => {
    expect(getNetwork(42161).name).toBe('arbitrum-mainnet');
    expect(getNetwork('local').chain.id).toBe(31337);
  });

  it('refuses an unknown network and a local network without addresses', () => {
    expect(() => getNetwork('bellecour')).toThrowErrorMatchingInlineSnapshot(`
      [UnknownNetworkError: unknown network "bellecour"

      → Use one of: local, arbitrum-sepolia-testnet, arbitrum-mainnet.]
    `);
    expect(() => createPocoClient({ network: 'local' })).toThrow(MissingAddressesError);
    expect(() => getNetwork(1)).toThrow(UnknownNetworkError);
  });

  it('builds a read-only client for a public network without an account', () => {
    const client = createPocoClient({ network: 'arbitrum-sepolia-testnet', rpcUrl: 'http://127.0.0.1:1' });
    expect(client.walletClient).toBeUndefined();
    expect(client.addresses.poco).toBe('0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E');
    expect(client.chain.rpcUrls.default.http).toEqual(['http://127.0.0.1:1']);
  });
});
