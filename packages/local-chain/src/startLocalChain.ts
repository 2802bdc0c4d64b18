import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPocoClient, localNetwork, type PocoAddresses, type PocoClient, TDX_TAG } from '@confidant/contracts';
import { type Address, type Hex, parseUnits } from 'viem';
import { z } from 'zod';
import { type AccountRole, chainAccount, type ChainAccount, namedAccounts } from './accounts.js';
import { type Anvil, startAnvil } from './anvil.js';
import { deployDataProtector, deployPoco, type DeployPocoReturnType, type Funding } from './deployPoco.js';
import { ChainStateError } from './errors.js';
import { jsonRpc } from './jsonRpc.js';

/** The local network's chain id unless started with another one (see `LOCAL_CHAIN_IDS`). */
export const LOCAL_CHAIN_ID = 31337;

/** Each funded account gets 10,000 RLC in its wallet and 1,000 RLC in its escrow by default. */
export const defaultFunding: Funding = { wallet: parseUnits('10000', 9), escrow: parseUnits('1000', 9) };

export type StartLocalChainParameters = {
  /** 0 (default) picks a free loopback port. */
  port?: number | undefined;
  /** Keep the chain in this directory across restarts; omit for a fresh chain that vanishes on stop. */
  dataDir?: string | undefined;
  funding?: Funding | undefined;
  /**
   * The chain id anvil runs under: 31337 (default) or 421614, the one iExec's DataProtector client
   * accepts (see docs/decisions.md). A data directory keeps the chain id it was created with.
   */
  chainId?: number | undefined;
};

export type LocalWorkerpool = {
  address: Address;
  /** The scheduler account: signs worker authorizations. */
  owner: Address;
  /** What its orders offer: a TEE (simulated locally) of the TDX framework. */
  tag: Hex;
};

export type LocalChain = {
  rpcUrl: string;
  chainId: number;
  addresses: PocoAddresses;
  /** The DataProtector contract that iExec's dataprotector client calls (`dataprotectorContractAddress`). */
  dataProtector: Address;
  workerpool: LocalWorkerpool;
  /** First block of the PoCo deployment: where indexers start. */
  startBlock: bigint;
  accounts: Record<AccountRole, ChainAccount>;
  /** True when PoCo was deployed by this start, false when the chain came from the data directory. */
  deployed: boolean;
  /** Another funded dev account (indexes 6 to 9 hold ETH only). */
  account(index: number): ChainAccount;
  /** A PoCo client signing as a role or an account (read-only without one). */
  client(who?: AccountRole | ChainAccount): PocoClient;
  /** Moves the chain's clock forward and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  /** Stops exactly what this call started; with a data directory, the chain is saved first. */
  stop(): Promise<void>;
};

const stateSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int(),
  addresses: z.object({
    poco: z.string(),
    rlc: z.string(),
    appRegistry: z.string(),
    datasetRegistry: z.string(),
    workerpoolRegistry: z.string(),
  }),
  // Absent from data directories saved before the local chain had one: deployed on the next start.
  dataProtector: z.string().optional(),
  workerpool: z.string(),
  startBlock: z.string(),
});

type Deployment = Omit<DeployPocoReturnType, 'transactions'>;

const WORKERPOOL_DESCRIPTION = 'Confidant local TEE workerpool (simulated enclaves)';

/**
 * Starts the local network: anvil on loopback with the whole PoCo deployed, the named accounts
 * funded with ETH and RLC (wallet and escrow), and a TEE workerpool owned by the scheduler.
 *
 * @example
 * const chain = await startLocalChain();
 * const publisher = chain.client('publisher');
 * await chain.stop();
 */
export async function startLocalChain(parameters: StartLocalChainParameters = {}): Promise<LocalChain> {
  const chainDir = parameters.dataDir;
  // Refused before anything starts: a chain id the local network cannot take.
  const chainId = localNetwork(parameters.chainId ?? LOCAL_CHAIN_ID).chain.id;
  const metadataFile = chainDir ? join(chainDir, 'chain.json') : undefined;
  if (chainDir) mkdirSync(chainDir, { recursive: true });
  const saved = metadataFile && existsSync(metadataFile) ? readMetadata(metadataFile, chainDir as string) : undefined;
  if (saved && saved.chainId !== chainId)
    throw new ChainStateError(
      chainDir as string,
      `its chain runs under chain id ${saved.chainId}, not ${chainId} (PoCo's signing domain names the chain id it was deployed under)`,
      `Start with chain id ${saved.chainId}, or use another data directory for chain id ${chainId}.`,
    );

  const anvil = await startAnvil({
    port: parameters.port,
    chainId,
    stateFile: chainDir ? join(chainDir, 'state.json') : undefined,
  });
  try {
    // Derive keys while anvil is already up: key derivation is the slowest local step.
    const accounts = namedAccounts();
    const rpc = jsonRpc(anvil.rpcUrl);
    let restored = saved;
    if (restored && (await rpc.call<Hex>('eth_getCode', [restored.addresses.poco, 'latest'])) === '0x') {
      // The chain was not saved (the previous run was killed): its metadata describes nothing.
      rmSync(metadataFile as string);
      restored = undefined;
    }
    const deployment =
      restored ??
      (await deployPoco({
        rpc,
        deployer: accounts.deployer.address,
        funded: [accounts.publisher, accounts.dataOwner, accounts.requester, accounts.scheduler, accounts.worker].map((a) => a.address),
        funding: parameters.funding ?? defaultFunding,
        workerpoolOwner: accounts.scheduler.address,
        workerpoolDescription: WORKERPOOL_DESCRIPTION,
      }));
    const dataProtector =
      deployment.dataProtector ??
      (await deployDataProtector({ rpc, deployer: accounts.deployer.address, datasetRegistry: deployment.addresses.datasetRegistry }));
    const complete: Deployment = { ...deployment, dataProtector };
    if (metadataFile && (!restored || restored.dataProtector === undefined)) writeMetadata(metadataFile, chainId, complete);
    return localChainHandle(anvil, chainId, accounts, complete, !restored);
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

function writeMetadata(file: string, chainId: number, deployment: Deployment): void {
  const { addresses, dataProtector, workerpool, startBlock } = deployment;
  const state = { version: 1, chainId, addresses, dataProtector, workerpool, startBlock: String(startBlock) };
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

function readMetadata(file: string, dataDir: string) {
  let parsed: z.infer<typeof stateSchema>;
  try {
    parsed = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ChainStateError(
      dataDir,
      `${file} is not a chain description (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  return {
    chainId: parsed.chainId,
    addresses: parsed.addresses as PocoAddresses,
    dataProtector: parsed.dataProtector as Address | undefined,
    workerpool: parsed.workerpool as Address,
    startBlock: BigInt(parsed.startBlock),
  };
}

function localChainHandle(
  anvil: Anvil,
  chainId: number,
  accounts: Record<AccountRole, ChainAccount>,
  { addresses, dataProtector, workerpool, startBlock }: Deployment,
  deployed: boolean,
): LocalChain {
  const readOnly = createPocoClient({ network: 'local', chainId, rpcUrl: anvil.rpcUrl, addresses });
  const rpc = jsonRpc(anvil.rpcUrl);
  return {
    rpcUrl: anvil.rpcUrl,
    chainId,
    addresses,
    dataProtector,
    workerpool: { address: workerpool, owner: accounts.scheduler.address, tag: TDX_TAG },
    startBlock,
    accounts,
    deployed,
    account: (index) => chainAccount(index),
    client(who) {
      if (who === undefined) return readOnly;
      const account = typeof who === 'string' ? accounts[who] : who;
      return createPocoClient({ network: 'local', chainId, rpcUrl: anvil.rpcUrl, addresses, account: account.account });
    },
    async increaseTime(seconds) {
      await rpc.call('evm_increaseTime', [seconds]);
      await rpc.call('evm_mine', []);
    },
    stop: () => anvil.stop(),
  };
}
