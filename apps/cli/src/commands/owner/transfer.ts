import type { Command } from 'commander';
import { action } from '../../action.js';
import { parseAddress } from './parse.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

/** `confidant transfer <data> <newOwner>` */
export function registerTransfer(program: Command): void {
  program
    .command('transfer')
    .description('hand a protected data over to a new owner (your grants on it stop being honoured)')
    .argument('<data>', 'the protected data address')
    .argument('<newOwner>', "the new owner's address")
    .action(
      action<[string, string]>(async ({ global, output }, data, newOwner) => {
        const parameters = { protectedData: parseAddress('the protected data', data), newOwner: parseAddress('the new owner', newOwner) };
        const { client } = await (await context()).clientFor(global);
        const { transferOwnership } = await import('@confidant/sdk');
        const step = output.step('Transferring on chain');
        const result = await transferOwnership(client, parameters);
        step.done();
        output.result(result, (r) => `Protected data ${r.address} now belongs to ${r.to}.`);
      }),
    );
}
