import { existsSync, readFileSync } from 'node:fs';
import { addressSchema } from '@confidant/contracts/schemas';
import type { Devnet } from '@confidant/devnet';
import { PRESET_NETWORKS } from './home.js';
import type { ConfidantClient } from '@confidant/sdk';
import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { loadDevnet } from './devnet.js';
import { cliEnv } from './env.js';
import { paths } from './home.js';
import { CliError, EXIT, type GlobalOptions } from './output.js';

// Heavy modules (the SDK, viem, the PoCo contracts) load inside the functions that need them, so
// `confidant --help` stays fast.

export { PRESET_NETWORKS } from './home.js';

export { paths } from './home.js';

const addressesSchema = z.record(z.string(), addressSchema);
export const networkFileSchema = z.object({
  name: z.string(),
  chainId: z.number().int(),
  rpcUrl: z.string().url(),
  addresses: addressesSchema.optional(),
  apiUrl: z.string().url(),
  smsUrl: z.string().url(),
  ipfsApiUrl: z.string().url(),
  ipfsGatewayUrl: z.string().url(),
  /** iExec's market API (orders): on a public network its preset when omitted; locally the API's origin. */
  marketApiUrl: z.string().url().optional(),
  /** The DataProtector subgraph (protected data): on a public network its preset when omitted. */
  dataProtectorSubgraphUrl: z.string().url().optional(),
  /** The DataProtector contract `protect` registers through: on a public network its preset when omitted. */
  dataProtector: addressSchema.optional(),
  workerUrl: z.string().url().optional(),
  /** The container registry `confidant deploy` pushes iApp images to (the local network's). */
  registryUrl: z.string().url().optional(),
  /** The TEE workerpool to run on by default. */
  workerpool: z.string().optional(),
  /** True for a local network whose enclaves are simulated. */
  simulated: z.boolean().default(false),
});
export type NetworkFile = z.infer<typeof networkFileSchema>;

const configSchema = z.object({ network: z.string().optional() }).passthrough();

export function readConfig(home?: string): z.infer<typeof configSchema> {
  const file = paths(home).config;
  if (!existsSync(file)) return {};
  const parsed = configSchema.safeParse(readJson(file));
  if (!parsed.success) throw new CliError(`${file} is not a Confidant settings file`, `Fix or delete ${file}.`);
  return parsed.data;
}

/** The network a command uses: --network, else `confidant network use`, else local. */
export function resolveNetwork(global: Pick<GlobalOptions, 'network'>, home?: string): NetworkFile {
  const name = global.network ?? readConfig(home).network ?? 'local';
  const file = paths(home).network(name);
  if (!existsSync(file)) {
    if (name === 'local')
      throw new CliError(
        'the local network is not running (no local network file)',
        'Start it with `confidant dev` (or `npm start` in the Confidant repository), then run this command again.',
        EXIT.failure,
      );
    const known = (PRESET_NETWORKS as readonly string[]).includes(name);
    throw new CliError(
      known ? `network "${name}" has no endpoints configured (${file})` : `unknown network "${name}"`,
      known
        ? `Write its API, SMS and IPFS URLs to ${file} (see \`confidant network ls\`).`
        : 'List the networks with `confidant network ls`.',
    );
  }
  const parsed = networkFileSchema.safeParse(readJson(file));
  if (!parsed.success) throw new CliError(`${file} is not a network file`, `Fix it, or for the local network restart \`confidant dev\`.`);
  return parsed.data;
}

/** The wallet's private key: CONFIDANT_PRIVATE_KEY for scripts, else the keystore and its password. */
export async function unlockWallet(options: {
  home?: string | undefined;
  privateKey?: string | undefined;
  password?: () => Promise<string>;
}): Promise<Hex> {
  const env = cliEnv();
  const direct = options.privateKey ?? env.privateKey;
  if (direct) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(direct))
      throw new CliError(
        'CONFIDANT_PRIVATE_KEY is not a 32-byte hex private key',
        'Set it to 0x followed by 64 hex digits, or unset it to use your wallet.',
      );
    return direct as Hex;
  }
  const file = paths(options.home).wallet;
  if (!existsSync(file))
    throw new CliError(
      'no wallet',
      'Create one with `confidant wallet create`, or import a key with `confidant wallet import`.',
      EXIT.forbidden,
    );
  const password = env.walletPassword ?? (await options.password?.());
  if (password === undefined)
    throw new CliError(
      'the wallet is locked and there is no terminal to ask for its password',
      'Set CONFIDANT_WALLET_PASSWORD.',
      EXIT.forbidden,
    );
  const { decryptKeystore } = await import('./keystore.js');
  return decryptKeystore(readJson(file), password);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CliError(`${file} is not valid JSON`, `Fix or delete ${file}.`);
  }
}

/**
 * The wallet's address without unlocking it (the keystore stores it in clear), or undefined when
 * there is no wallet.
 */
export async function walletAddress(home?: string): Promise<Address | undefined> {
  const { getAddress } = await import('viem');
  const direct = cliEnv().privateKey;
  if (direct) {
    const { privateKeyToAddress } = await import('viem/accounts');
    return privateKeyToAddress((await unlockWallet({ home, privateKey: direct })) as Hex);
  }
  const file = paths(home).wallet;
  if (!existsSync(file)) return undefined;
  const keystore = readJson(file) as { address?: unknown };
  if (typeof keystore.address !== 'string' || !/^(0x)?[0-9a-fA-F]{40}$/.test(keystore.address)) {
    throw new CliError(`${file} has no address`, 'Import the private key again with `confidant wallet import --force`.');
  }
  return getAddress(keystore.address.startsWith('0x') ? keystore.address : `0x${keystore.address}`);
}

/** The wallet's address, or an error telling how to get a wallet. */
export async function requireWalletAddress(home?: string): Promise<Address> {
  const address = await walletAddress(home);
  if (!address)
    throw new CliError(
      'no wallet',
      'Create one with `confidant wallet create`, or import a key with `confidant wallet import`.',
      EXIT.forbidden,
    );
  return address;
}

/** Asks for the wallet password on a terminal (nothing is echoed). */
export async function promptPassword(message = 'Wallet password'): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  return password({ message, mask: true });
}

/** Whether we may ask the user something. */
export const interactive = (): boolean => process.stdin.isTTY === true && process.stdout.isTTY === true;

/** An SDK client on the resolved network; with the wallet when the command signs. */
export async function clientFor(
  global: GlobalOptions,
  options: { wallet: boolean; password?: () => Promise<string> } = { wallet: true },
): Promise<{ client: ConfidantClient; network: NetworkFile }> {
  const network = resolveNetwork(global);
  const account = options.wallet
    ? await unlockWallet({ password: options.password ?? (interactive() ? () => promptPassword() : undefined) })
    : undefined;
  const { createConfidantClient } = await import('@confidant/sdk');
  const client = createConfidantClient({
    // The chain id, not the file's name, says which PoCo preset applies (a custom network file may name
    // any chain), except for a simulated network: a local one, whose chain id may be 421614.
    ...(network.simulated ? { network: 'local' as const, chainId: network.chainId } : { network: network.chainId }),
    rpcUrl: network.rpcUrl,
    addresses: network.addresses as never,
    account,
    apiUrl: network.apiUrl,
    smsUrl: network.smsUrl,
    marketApiUrl: network.marketApiUrl,
    dataProtectorSubgraphUrl: network.dataProtectorSubgraphUrl,
    dataProtector: network.dataProtector,
    ipfsApiUrl: network.ipfsApiUrl,
    ipfsGatewayUrl: network.ipfsGatewayUrl,
    workerUrl: network.workerUrl,
    registryUrl: network.registryUrl,
  });
  return { client, network };
}

/**
 * The network file of a running local network: what `confidant dev` writes to
 * <home>/networks/local.json for every other command. The API server also serves iExec's market API
 * at its origin and the DataProtector subgraph at `/subgraphs/dataprotector` (`webEndpointsOf`).
 *
 * @example
 * writeFileSync(paths().network('local'), JSON.stringify(await localNetworkOf(devnet)));
 */
export async function localNetworkOf(devnet: Devnet): Promise<NetworkFile> {
  const { webEndpointsOf } = await loadDevnet();
  return networkFileSchema.parse({
    name: 'local',
    apiUrl: devnet.api.url,
    simulated: true,
    registryUrl: devnet.registry.url,
    ...webEndpointsOf(devnet),
  });
}
