import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { action } from '../../action.js';
import { CliError } from '../../output.js';
import { paths, PRESET_NETWORKS } from '../../home.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

type NetworkRow = { name: string; chainId: number | null; configured: boolean; current: boolean; enclaves: string };

/** Every network: the presets, plus any other network file in <home>/networks. */
async function listNetworks(current: string): Promise<NetworkRow[]> {
  const { networks } = await import('@confidant/contracts');
  const dir = join(paths().home, 'networks');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => file.slice(0, -'.json'.length))
    : [];
  const names = [...new Set([...PRESET_NETWORKS, ...files])];
  return names.map((name) => {
    const preset = (networks as Record<string, (typeof networks)[keyof typeof networks] | undefined>)[name];
    return {
      name,
      chainId: preset && name !== 'local' ? preset.chain.id : null,
      configured: existsSync(paths().network(name)),
      current: name === current,
      enclaves: preset?.enclaves ?? 'custom',
    };
  });
}

/** `confidant network ls|use <name>` */
export function registerNetwork(program: Command): void {
  const network = program.command('network').description('list the networks, or choose the one commands use');

  network
    .command('ls')
    .description('list the networks, which ones have endpoints configured, and the current one')
    .action(
      action<[]>(async ({ global, output }) => {
        const current = global.network ?? (await context()).readConfig().network ?? 'local';
        const rows = await listNetworks(current);
        output.result({ current, networks: rows }, ({ networks }) =>
          networks
            .map(
              (row) =>
                `${row.current ? '*' : ' '} ${row.name.padEnd(26)} ${(row.configured ? 'configured' : 'no endpoints').padEnd(13)} ${row.enclaves}${row.configured ? '' : `  (write ${paths().network(row.name)}${row.name === 'local' ? ' or run `confidant dev`' : ''})`}`,
            )
            .join('\n'),
        );
      }),
    );

  network
    .command('use')
    .description('make <name> the network every command uses (written to <home>/config.json)')
    .argument('<name>', 'a network name from `confidant network ls`')
    .action(
      action<[string]>(async ({ output }, name) => {
        const known = (PRESET_NETWORKS as readonly string[]).includes(name) || existsSync(paths().network(name));
        if (!known)
          throw new CliError(
            `unknown network "${name}"`,
            `Choose one of ${PRESET_NETWORKS.join(', ')} (see \`confidant network ls\`), or write ${paths().network(name)} first.`,
          );
        const file = paths().config;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify({ ...(await context()).readConfig(), network: name }, null, 2)}\n`);
        const configured = existsSync(paths().network(name));
        if (!configured)
          output.warn(
            `network "${name}" has no endpoints yet: write ${paths().network(name)}${name === 'local' ? ' (or run `confidant dev`)' : ''} before running commands on it.`,
          );
        output.result({ network: name, configured }, () => `Now using network ${name}.`);
      }),
    );
}
