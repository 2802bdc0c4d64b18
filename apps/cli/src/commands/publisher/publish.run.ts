import { isAddress } from 'viem';
import { clientFor, interactive, promptPassword } from '../../context.js';
import { CliError, EXIT, type GlobalOptions, type Output } from '../../output.js';
import { loadProject, readDeployments } from './project.js';

export type PublishOptions = {
  app?: string | undefined;
  price: string;
  volume: string;
  listing: boolean;
  title?: string | undefined;
  description?: string | undefined;
  category?: string | undefined;
  tag?: string[] | undefined;
};

const count = (flag: string, value: string, min: bigint) => {
  if (!/^\d+$/.test(value) || BigInt(value) < min)
    throw new CliError(
      `${flag} ${value} is not a whole number${min > 0n ? ` of at least ${min}` : ''}`,
      `Give ${flag} as a whole number (prices are in nRLC: 1 RLC = 1,000,000,000 nRLC).`,
    );
  return BigInt(value);
};

/** `confidant publish`: the app order in the orderbook, then the marketplace listing. */
export async function runPublish(global: GlobalOptions, output: Output, options: PublishOptions): Promise<void> {
  const project = await loadProject();
  const price = count('--price', options.price, 0n);
  const volume = count('--volume', options.volume, 1n);
  const { client, network } = await clientFor(global, { wallet: true, password: interactive() ? () => promptPassword() : undefined });
  const app = options.app ?? (await readDeployments(project))[network.name]?.address;
  if (!app)
    throw new CliError(
      `${project.name} is not deployed on ${network.name}`,
      'Deploy it first with `confidant deploy`, or name the app with --app <address>.',
      EXIT.notFound,
    );
  if (!isAddress(app)) throw new CliError(`--app ${app} is not an address`, "Give the app's 0x address (printed by `confidant deploy`).");

  const { publishAppOrder, signIn } = await import('@confidant/sdk');
  const orderStep = output.step('publishing the app order');
  const order = await publishAppOrder(client, { app, price, volume }).catch((error: unknown) => {
    orderStep.fail();
    throw error;
  });
  orderStep.done(order.hash);

  let listing: { version: number } | undefined;
  if (options.listing) {
    const step = output.step('updating the marketplace listing');
    try {
      await signIn(client);
      const stored = project.listing;
      listing = await client.api.apps.upsertListing.mutate({
        address: app,
        title: options.title ?? stored.title ?? project.name,
        description: options.description ?? stored.description ?? '',
        category: options.category ?? stored.category ?? 'utility',
        tags: options.tag && options.tag.length > 0 ? options.tag : (stored.tags ?? []),
        requiredSchema: stored.requiredSchema ?? null,
        price: price.toString(),
      });
      step.done(`version ${listing.version}`);
    } catch (error) {
      step.fail();
      throw error;
    }
  }
  output.result(
    {
      network: network.name,
      app,
      order: { hash: order.hash, price: order.price, volume: order.volume, remaining: order.remaining },
      listing: listing ?? null,
    },
    (r) =>
      [
        `✔ ${project.name} (${r.app}) is offered on ${r.network}: ${r.order.price} nRLC per run, ${r.order.volume} runs`,
        `  order ${r.order.hash}`,
        r.listing
          ? `  listing version ${r.listing.version} (title, description, category, tags and required schema from ${'confidant.json'})`
          : '  listing not updated (--no-listing)',
      ].join('\n'),
  );
}
