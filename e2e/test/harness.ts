import { createApp, type PocoWalletClient } from '@confidant/contracts';
import { type Devnet, devnetClient, startDevnet, startWebApp, type WebApp, type WebAppEndpoints } from '@confidant/devnet';
import type { AccountRole } from '@confidant/local-chain';
import { type ConfidantClient, NotIndexedError } from '@confidant/sdk';
import type { Address } from 'viem';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** The marketplace web app's folder, as this workspace links it. */
const webAppDir = dirname(createRequire(import.meta.url).resolve('@confidant/web/package.json'));

/** A whole local network on loopback (chain, storage, SMS, API) and SDK clients for its accounts. */
export async function startStory(): Promise<{
  devnet: Devnet;
  as(role: AccountRole): ConfidantClient;
  deployApp(name?: string): Promise<Address>;
}> {
  const devnet = await startDevnet();
  const as = (role: AccountRole) => devnetClient(devnet, role);
  let apps = 0;
  return {
    devnet,
    as,
    async deployApp(name = `app-${++apps}`) {
      const publisher = devnet.chain.client('publisher') as PocoWalletClient;
      const { address } = await createApp(publisher, {
        name,
        type: 'DOCKER',
        multiaddr: `registry.example/${name}:1.0.0`,
        checksum: `0x${'ab'.repeat(32)}`,
      });
      return address;
    },
  };
}

/**
 * The production build of the web app on a free port against `apiUrl` (nx builds it before these
 * tests); with the network's endpoints, its browser-side flows (protect, grant, run) work too.
 */
export async function startWeb(apiUrl: string, endpoints?: WebAppEndpoints): Promise<WebApp> {
  const web = await startWebApp({ dir: webAppDir, apiUrl, endpoints });
  if (!web) throw new Error('apps/web is not built: run `pnpm exec nx run @confidant/web:build`');
  return web;
}

/**
 * Resolves once the marketplace API has indexed a protected data: it is registered on chain
 * (DataProtector's event) and the API follows the chain every 250 ms.
 */
export async function untilIndexed(devnet: Devnet, address: Address, timeoutMs = 10_000): Promise<void> {
  const api = devnetClient(devnet, 'requester').api;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await api.protectedData.get.query({ address });
      return;
    } catch (error) {
      if (!(error instanceof NotIndexedError) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
