import type { Command } from 'commander';
import { action } from '../../action.js';
import { CliError } from '../../output.js';
import { parseAddress } from './parse.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

/** `confidant data ls [--owner <addr>] [--schema <json>]` */
export function registerData(program: Command): void {
  const data = program.command('data').description('protected data on the marketplace');
  data
    .command('ls')
    .description('list protected data: yours by default (or --owner), optionally those holding --schema')
    .option('--owner <address>', "an owner's address (default: your wallet's; 'any' for everyone)")
    .option('--schema <json>', 'only data whose schema contains this one, e.g. \'{"email":"string"}\'')
    .option('--limit <n>', 'at most this many (≤ 100)', '100')
    .action(
      action<[{ owner?: string; schema?: string; limit: string }]>(async ({ global, output }, options) => {
        const owner =
          options.owner === 'any'
            ? undefined
            : options.owner
              ? parseAddress('--owner', options.owner)
              : await (await context()).walletAddress();
        let requiredSchema: Record<string, unknown> | undefined;
        if (options.schema) {
          try {
            requiredSchema = JSON.parse(options.schema) as Record<string, unknown>;
          } catch {
            throw new CliError('--schema is not valid JSON', 'Give a schema like \'{"email":"string"}\' (quoted for the shell).');
          }
        }
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          throw new CliError(`--limit ${options.limit} is not between 1 and 100`, 'Give --limit 1 to 100.');
        const { client } = await (await context()).clientFor(global, { wallet: false });
        const { getProtectedData } = await import('@confidant/sdk');
        const items = await getProtectedData(client, { owner, requiredSchema: requiredSchema as never, limit });
        output.result(items, (list) =>
          list.length === 0
            ? `No protected data${owner ? ` owned by ${owner}` : ''}. Protect some with \`confidant protect '{"key":"value"}'\`.`
            : list
                .map(
                  (item) =>
                    `${item.address}  ${(item.name || '(no name)').padEnd(20)} ${JSON.stringify(item.schema)}  ${item.createdAt.toISOString()}`,
                )
                .join('\n'),
        );
      }),
    );
}
