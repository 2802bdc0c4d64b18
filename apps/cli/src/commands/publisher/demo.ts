import type { Devnet } from '@confidant/devnet';
import type { ConfidantClient } from '@confidant/sdk';
import { DEFAULT_MOCK, ENTRYPOINTS, templateBundle } from './init.run.js';
import { loadDevnet } from '../../devnet.js';

/** What `confidant dev` puts on a new local network so that the marketplace is not empty. */
export type DemoSeed = {
  apps: { address: `0x${string}`; title: string; runtime: 'node' | 'python'; price: string }[];
  protectedData: { address: string; name: string; owner: string; grantedTo: string[] }[];
};

const DEMO_APPS = [
  {
    name: 'hello-world',
    template: 'javascript',
    title: 'Hello, protected world',
    description:
      "Greets the `name` in your protected data — read only inside the enclave — or the name given as its first argument.\n\nThe app of `confidant init`'s JavaScript template, as published by `confidant publish`.",
    category: 'utility',
    tags: ['demo', 'javascript'],
  },
  {
    name: 'hello-python',
    template: 'python',
    title: 'Hello from Python',
    description:
      'The same greeting from the Python template: `name` from your protected data, or the first argument.\n\nIt also counts the bytes of each input file and the characters of requester secret 1.',
    category: 'utility',
    tags: ['demo', 'python'],
  },
] as const;

/**
 * Seeds a new local network the way its users would: the publisher deploys and lists the two
 * templates' apps with free app orders, and the data owner protects a demo record and grants it
 * to both apps for anyone. Every step goes through the SDK and the API, as a user's would.
 */
export async function seedDemo(devnet: Devnet): Promise<DemoSeed> {
  const { grantAccess, protectData, publishAppOrder, signIn } = await import('@confidant/sdk');
  const { deployApp } = await import('@confidant/sdk/node');
  const { devnetClient } = await loadDevnet();
  const as = (role: keyof Devnet['chain']['accounts']): ConfidantClient => devnetClient(devnet, role);
  const publisher = as('publisher');
  const owner = as('dataOwner');

  // The publisher's and the data owner's transactions are independent: both run at once.
  const publishing = (async () => {
    await signIn(publisher);
    const apps: DemoSeed['apps'] = [];
    for (const demo of DEMO_APPS) {
      const { runtime, entrypoint } = ENTRYPOINTS[demo.template];
      const app = await deployApp(publisher, {
        name: demo.name,
        files: await templateBundle(demo.template, demo.name),
        declaration: { runtime, entrypoint },
      });
      await publishAppOrder(publisher, { app: app.address, price: 0, volume: 1_000_000 });
      await publisher.api.apps.upsertListing.mutate({
        address: app.address,
        title: demo.title,
        description: demo.description,
        category: demo.category,
        tags: [...demo.tags],
        requiredSchema: { name: 'string' },
        price: '0',
        argsDescription: 'A name to greet when no protected data is given.',
      });
      apps.push({ address: app.address, title: demo.title, runtime, price: '0' });
    }
    return apps;
  })();
  const protecting = protectData(owner, { data: DEFAULT_MOCK, name: 'Demo: Alice' });
  const [apps, data] = await Promise.all([publishing, protecting]);
  for (const app of apps)
    await grantAccess(owner, { protectedData: data.address, authorizedApp: app.address, pricePerAccess: 0, numberOfAccess: 1_000 });
  return {
    apps,
    protectedData: [{ address: data.address, name: data.name, owner: data.owner, grantedTo: apps.map((app) => app.address) }],
  };
}
