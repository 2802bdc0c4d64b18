import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { Hex } from 'viem';
import { action } from '../../action.js';
import { cliEnv } from '../../env.js';
import { CliError, EXIT, type Output } from '../../output.js';
import { formatRlc } from './parse.js';
import { paths } from '../../home.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

/** `confidant wallet create|import|show`: the encrypted keystore at <home>/wallet.json. */
export function registerWallet(program: Command): void {
  const wallet = program.command('wallet').description('create, import or show your wallet (an encrypted keystore)');

  wallet
    .command('create')
    .description('create a new wallet; prints its address (never its key)')
    .option('--force', 'replace an existing wallet (its key is lost unless you backed it up)', false)
    .action(
      action<[{ force: boolean }]>(async ({ output }, options) => {
        refuseOverwrite(options.force);
        const { generatePrivateKey } = await import('viem/accounts');
        const address = await save(generatePrivateKey(), output);
        output.result(
          { address, file: paths().wallet },
          () => `Wallet created: ${address}\nKeystore: ${paths().wallet} (back it up; its password cannot be recovered)`,
        );
      }),
    );

  wallet
    .command('import')
    .description('import a private key (asked for, or read from --private-key-file) into an encrypted keystore')
    .option('--private-key-file <path>', 'a file holding the private key (0x + 64 hex digits)')
    .option('--force', 'replace an existing wallet', false)
    .action(
      action<[{ privateKeyFile?: string; force: boolean }]>(async ({ output }, options) => {
        refuseOverwrite(options.force);
        const key = options.privateKeyFile ? readKeyFile(options.privateKeyFile) : await askKey();
        const address = await save(key, output);
        output.result({ address, file: paths().wallet }, () => `Wallet imported: ${address}\nKeystore: ${paths().wallet}`);
      }),
    );

  wallet
    .command('show')
    .description("print the wallet's address and its balances (ETH, RLC, escrow) on the current network")
    .action(
      action<[]>(async ({ global, output }) => {
        const address = await (await context()).requireWalletAddress();
        let balances: { network: string; eth: string; rlc: bigint; escrow: bigint; frozen: bigint } | null = null;
        try {
          const { client, network } = await (await context()).clientFor(global, { wallet: false });
          const { getRlcBalance, getEscrowBalance } = await import('@confidant/contracts');
          const { formatEther } = await import('viem');
          const [eth, rlc, escrow] = await Promise.all([
            client.poco.publicClient.getBalance({ address }),
            getRlcBalance(client.poco, { account: address }),
            getEscrowBalance(client.poco, { account: address }),
          ]);
          balances = { network: network.name, eth: formatEther(eth), rlc, escrow: escrow.balance, frozen: escrow.frozen };
        } catch (error) {
          const hint =
            error instanceof CliError ? error.hints[0] : 'Check that the network is running and reachable (confidant network ls).';
          output.warn(
            `balances unavailable: ${error instanceof CliError ? error.shortMessage : error instanceof Error ? error.message.split('\n')[0] : String(error)}. ${hint ?? ''}`,
          );
        }
        output.result({ address, balances }, ({ address, balances }) =>
          [
            `Address: ${address}`,
            ...(balances
              ? [
                  `Network: ${balances.network}`,
                  `ETH:     ${balances.eth}`,
                  `RLC:     ${formatRlc(balances.rlc)}`,
                  `Escrow:  ${formatRlc(balances.escrow)} (${formatRlc(balances.frozen)} frozen)`,
                ]
              : []),
          ].join('\n'),
        );
      }),
    );
}

function refuseOverwrite(force: boolean): void {
  const file = paths().wallet;
  if (existsSync(file) && !force)
    throw new CliError(
      `a wallet already exists (${file})`,
      'Keep it, or back it up and pass --force to replace it: its key is lost otherwise.',
      EXIT.usage,
    );
}

function readKeyFile(file: string): Hex {
  if (!existsSync(file)) throw new CliError(`no file ${file}`, 'Give the path of a file holding the private key.');
  return checkKey(readFileSync(file, 'utf8').trim(), file);
}

async function askKey(): Promise<Hex> {
  if (!(await context()).interactive())
    throw new CliError('no private key to import', 'Pass --private-key-file <path>, or run this on a terminal to type the key.');
  const { password } = await import('@inquirer/prompts');
  return checkKey((await password({ message: 'Private key (0x…)', mask: true })).trim(), 'the key typed');
}

function checkKey(key: string, source: string): Hex {
  const normalized = key.startsWith('0x') ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(normalized))
    throw new CliError(`${source} is not a private key`, 'A private key is 64 hex digits, optionally after 0x.');
  return normalized as Hex;
}

/** The password for a new keystore: CONFIDANT_WALLET_PASSWORD, else asked twice. */
async function newPassword(): Promise<string> {
  const fromEnv = cliEnv().walletPassword;
  if (fromEnv) return fromEnv;
  if (!(await context()).interactive())
    throw new CliError('no password for the new wallet', 'Set CONFIDANT_WALLET_PASSWORD, or run this on a terminal to type one.');
  const first = await (await context()).promptPassword('New wallet password');
  if (first.length < 8) throw new CliError('the password is shorter than 8 characters', 'Run the command again with a longer password.');
  if ((await (await context()).promptPassword('Repeat the password')) !== first)
    throw new CliError('the passwords differ', 'Run the command again and type the same password twice.');
  return first;
}

async function save(key: Hex, output: Output): Promise<string> {
  const password = await newPassword();
  const { encryptKeystore } = await import('../../keystore.js');
  const { getAddress } = await import('viem');
  const step = output.step('Encrypting the key');
  const keystore = encryptKeystore(key, password);
  const file = paths().wallet;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600 });
  step.done();
  return getAddress(`0x${keystore.address}`);
}
