import { isAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { createPocoClient } from './client.js';
import { MissingAddressesError, UnknownNetworkError } from './errors.js';
import { getNetwork, localNetwork, networks } from './networks.js';

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

  it('runs a local network under 421614 without taking it for Arbitrum Sepolia', () => {
    const addresses = networks['arbitrum-sepolia-testnet'].addresses;
    const local = createPocoClient({ network: 'local', chainId: 421614, rpcUrl: 'http://127.0.0.1:1', addresses });
    expect(local.network.name).toBe('local');
    expect(local.network.enclaves).toBe('simulated');
    expect(local.network.services).toBeUndefined();
    expect(local.chain.id).toBe(421614);
    expect(local.chain.name).toBe('Confidant local network (421614)');
    // The chain id alone is the public preset.
    expect(createPocoClient({ network: 421614, rpcUrl: 'http://127.0.0.1:1' }).network.name).toBe('arbitrum-sepolia-testnet');
    expect(localNetwork()).toBe(networks.local);
  });

  it('refuses a local network under a chain id it cannot take, and a chain id that contradicts the preset', () => {
    expect(() => localNetwork(42161)).toThrowErrorMatchingInlineSnapshot(`
      [UnsupportedLocalChainIdError: the local network cannot run under chain id 42161

      → Use one of: 31337, 421614 (421614 lets iExec's own clients use the local network).]
    `);
    expect(() => createPocoClient({ network: 'arbitrum-mainnet', chainId: 421614 })).toThrowErrorMatchingInlineSnapshot(`
      [UnknownNetworkError: unknown network "arbitrum-mainnet under chain id 421614"

      → Use one of: arbitrum-mainnet (chain id 42161).]
    `);
  });
});
