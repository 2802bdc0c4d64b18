import type { Command } from 'commander';
import { action } from '../../action.js';
import { formatRlc, parseAddress, parseCount, parseExpiry } from './parse.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

const ANYONE = '0x0000000000000000000000000000000000000000';

/** One grant, for humans. */
export function formatGrant(grant: {
  hash: string;
  protectedData: string;
  app: string;
  user: string;
  pricePerAccess: bigint;
  remainingAccess: bigint;
  numberOfAccess: bigint;
  revoked: boolean;
  expiresAt: Date | null;
}): string {
  return [
    `${grant.hash}`,
    `  data ${grant.protectedData}  app ${grant.app}  user ${grant.user === ANYONE ? 'anyone' : grant.user}`,
    `  ${formatRlc(grant.pricePerAccess)} per use, ${grant.remainingAccess}/${grant.numberOfAccess} uses left${grant.revoked ? ', revoked' : ''}${grant.expiresAt ? `, expires ${grant.expiresAt.toISOString()}` : ''}`,
  ].join('\n');
}

/** `confidant grant <data> --app <app> [--user] [--price] [--uses] [--expires]` */
export function registerGrant(program: Command): void {
  program
    .command('grant')
    .description('let an app (and optionally one user) use your protected data')
    .argument('<data>', 'the protected data address')
    .requiredOption('--app <address>', 'the app allowed to use it')
    .option('--user <address>', 'the only user allowed to run it (default: anyone)')
    .option('--price <nRLC>', 'paid to you per use, in nRLC', '0')
    .option('--uses <n>', 'how many times it may be used', '1')
    .option('--expires <date|duration>', 'an ISO date or a duration like 7d, 12h (default: until revoked)')
    .action(
      action<[string, { app: string; user?: string; price: string; uses: string; expires?: string }]>(
        async ({ global, output }, data, options) => {
          const parameters = {
            protectedData: parseAddress('the protected data', data),
            authorizedApp: parseAddress('--app', options.app),
            authorizedUser: options.user ? parseAddress('--user', options.user) : undefined,
            pricePerAccess: parseCount('--price', options.price),
            numberOfAccess: parseCount('--uses', options.uses, 1n),
            expiresAt: options.expires ? parseExpiry(options.expires) : undefined,
          };
          const { client } = await (await context()).clientFor(global);
          const { grantAccess } = await import('@confidant/sdk');
          const step = output.step('Signing and publishing the grant');
          const grant = await grantAccess(client, parameters);
          step.done();
          output.result(grant, (g) => `Granted:\n${formatGrant(g)}\nRevoke it with: confidant revoke ${g.hash}`);
        },
      ),
    );
}
