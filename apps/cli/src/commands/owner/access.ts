import type { Command } from 'commander';
import { action } from '../../action.js';
import { CliError } from '../../output.js';
import { formatGrant } from './grant.js';
import { isAddress, isHash, parseAddress } from './parse.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

/** `confidant access ls [<data>] [--app] [--user]` and `confidant revoke <grantHash | data --all>` */
export function registerAccess(program: Command): void {
  const access = program.command('access').description('the grants on protected data');
  access
    .command('ls')
    .description('list the open grants of a protected data (default: of all your protected data)')
    .argument('[data]', 'a protected data address')
    .option('--app <address>', 'only grants to this app')
    .option('--user <address>', 'only grants to this user')
    .option('--all', 'include revoked and used-up grants', false)
    .action(
      action<[string | undefined, { app?: string; user?: string; all: boolean }]>(async ({ global, output }, data, options) => {
        const protectedData = data ? parseAddress('the protected data', data) : undefined;
        const authorizedApp = options.app ? parseAddress('--app', options.app) : undefined;
        const authorizedUser = options.user ? parseAddress('--user', options.user) : undefined;
        const owner = protectedData || authorizedApp || authorizedUser ? undefined : await (await context()).requireWalletAddress();
        const { client } = await (await context()).clientFor(global, { wallet: false });
        const { getGrantedAccess } = await import('@confidant/sdk');
        const grants = await getGrantedAccess(client, { protectedData, owner, authorizedApp, authorizedUser, includeRevoked: options.all });
        output.result(grants, (list) =>
          list.length === 0 ? 'No open grants. Grant one with `confidant grant <data> --app <app>`.' : list.map(formatGrant).join('\n'),
        );
      }),
    );

  program
    .command('revoke')
    .description('revoke one grant (by its hash), or every grant of a protected data (--all)')
    .argument('<grant|data>', 'a grant hash from `confidant access ls`, or a protected data address with --all')
    .option('--all', 'revoke every open grant of the protected data', false)
    .option('--app <address>', 'with --all: only the grants to this app')
    .option('--user <address>', 'with --all: only the grants to this user')
    .action(
      action<[string, { all: boolean; app?: string; user?: string }]>(async ({ global, output }, target, options) => {
        if (isHash(target)) {
          const { client } = await (await context()).clientFor(global);
          const { revokeOneAccess } = await import('@confidant/sdk');
          const step = output.step('Cancelling the grant on chain');
          const revoked = await revokeOneAccess(client, target as `0x${string}`);
          step.done();
          output.result(
            { revoked: [{ hash: revoked.access.hash, transactionHash: revoked.transactionHash }] },
            () => `Revoked ${revoked.access.hash}.`,
          );
          return;
        }
        if (!isAddress(target))
          throw new CliError(
            `"${target.slice(0, 80)}" is neither a grant hash nor an address`,
            'Give a grant hash (0x + 64 hex digits, see `confidant access ls`) or a protected data address with --all.',
          );
        if (!options.all)
          throw new CliError(
            'revoking every grant of a protected data needs --all',
            `Run \`confidant revoke ${target} --all\`, or give one grant hash from \`confidant access ls ${target}\`.`,
          );
        const { client } = await (await context()).clientFor(global);
        const { revokeAllAccess } = await import('@confidant/sdk');
        const step = output.step('Cancelling the grants on chain');
        const revoked = await revokeAllAccess(client, {
          protectedData: target as `0x${string}`,
          authorizedApp: options.app ? parseAddress('--app', options.app) : undefined,
          authorizedUser: options.user ? parseAddress('--user', options.user) : undefined,
        });
        step.done(`${revoked.length} revoked`);
        output.result({ revoked: revoked.map((r) => ({ hash: r.access.hash, transactionHash: r.transactionHash })) }, (r) =>
          r.revoked.length === 0 ? 'No open grant to revoke.' : `Revoked ${r.revoked.length} grant(s).`,
        );
      }),
    );
}
