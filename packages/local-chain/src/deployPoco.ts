import { iexecPocoAbi, type PocoAddresses, rlcAbi, workerpoolRegistryAbi } from '@confidant/contracts';
import { type Abi, type Address, encodeDeployData, encodeFunctionData, getContractAddress, type Hex, numberToHex, zeroAddress } from 'viem';
import { type Artifact, link, pocoArtifact, pocoDeploymentArtifact, rlcArtifact, selectorsOf } from './artifacts.js';
import { dataProtectorArtifact } from './dataProtector.js';
import { DeploymentError } from './errors.js';
import type { JsonRpc, RawReceipt } from './jsonRpc.js';

/** The facets of the diamond, in the order PoCo adds them. */
const facetPaths = [
  'facets/IexecAccessorsABILegacyFacet.sol/IexecAccessorsABILegacyFacet.json',
  'facets/IexecCategoryManagerFacet.sol/IexecCategoryManagerFacet.json',
  'facets/IexecConfigurationExtraFacet.sol/IexecConfigurationExtraFacet.json',
  'facets/IexecConfigurationFacet.sol/IexecConfigurationFacet.json',
  'facets/IexecERC20Facet.sol/IexecERC20Facet.json',
  'facets/IexecEscrowTokenFacet.sol/IexecEscrowTokenFacet.json',
  'facets/IexecOrderManagementFacet.sol/IexecOrderManagementFacet.json',
  'facets/IexecPoco1Facet.sol/IexecPoco1Facet.json',
  'facets/IexecPoco2Facet.sol/IexecPoco2Facet.json',
  'facets/IexecPocoAccessorsFacet.sol/IexecPocoAccessorsFacet.json',
  'facets/IexecPocoBoostFacet.sol/IexecPocoBoostFacet.json',
  'facets/IexecPocoBoostAccessorsFacet.sol/IexecPocoBoostAccessorsFacet.json',
  'facets/IexecRelayFacet.sol/IexecRelayFacet.json',
];

/** PoCo's default categories: name and reference time in seconds (deadlines are multiples of it). */
export const defaultCategories = [
  ['XS', 300n],
  ['S', 1_200n],
  ['M', 3_600n],
  ['L', 10_800n],
  ['XL', 36_000n],
] as const;

export type Funding = {
  /** RLC (nRLC) sent to each funded account's wallet. */
  wallet: bigint;
  /** RLC (nRLC) deposited into each funded account's escrow. */
  escrow: bigint;
};

export type DeployPocoParameters = {
  rpc: JsonRpc;
  deployer: Address;
  /** Accounts to fund with RLC and escrow. */
  funded: readonly Address[];
  funding: Funding;
  /** Owner of the workerpool to create (the scheduler). */
  workerpoolOwner: Address;
  workerpoolDescription: string;
};

export type DeployPocoReturnType = {
  addresses: PocoAddresses;
  /** The DataProtector contract (iExec's protected-data entry point), wired to the DatasetRegistry. */
  dataProtector: Address;
  workerpool: Address;
  /** Block of the first deployment transaction: where an indexer starts. */
  startBlock: bigint;
  transactions: number;
};

type Step = { label: string; to?: Address; data: Hex };

/** The deployment's transactions, in nonce order: each contract's address follows from its position. */
type Plan = {
  steps: Step[];
  /** Adds a contract creation and returns the address it will have. */
  deploy(label: string, data: Hex): Address;
  /** Adds a call to a contract. */
  call(label: string, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): void;
};

type Registries = Pick<PocoAddresses, 'appRegistry' | 'datasetRegistry' | 'workerpoolRegistry'>;

/**
 * Deploys the whole PoCo (RLC, diamond with every facet, registries, configuration, categories)
 * and a DataProtector on its DatasetRegistry, funds accounts and creates a workerpool, on a node whose deployer account is unlocked (anvil).
 * Every address follows from the deployer's nonce, so all transactions go out in one JSON-RPC batch
 * and the node mines them in nonce order.
 *
 * @example
 * const { addresses, workerpool } = await deployPoco({ rpc, deployer, funded, funding, workerpoolOwner, workerpoolDescription });
 */
export async function deployPoco(p: DeployPocoParameters): Promise<DeployPocoReturnType> {
  const startNonce = BigInt(await p.rpc.call<Hex>('eth_getTransactionCount', [p.deployer, 'latest']));
  const startBlock = BigInt(await p.rpc.call<Hex>('eth_blockNumber', [])) + 1n;
  const plan = createPlan(p.deployer, startNonce);
  const rlc = plan.deploy('RLC', rlcArtifact().bytecode);
  const poco = planDiamond(plan, p.deployer);
  const registries = planRegistries(plan);
  const dataProtector = planDataProtector(plan, registries.datasetRegistry);
  planSetup(plan, p, { poco, rlc, ...registries });
  await sendPlan(p, plan.steps, startNonce);
  const workerpool = await p.rpc.readContract<Address>({
    to: registries.workerpoolRegistry,
    abi: workerpoolRegistryAbi,
    functionName: 'predictWorkerpool',
    args: [p.workerpoolOwner, p.workerpoolDescription],
  });
  return { addresses: { poco, rlc, ...registries }, dataProtector, workerpool, startBlock, transactions: plan.steps.length };
}

/**
 * Deploys only the DataProtector, for a chain whose PoCo is already there (a data directory saved
 * before the local chain had one); returns its address.
 */
export async function deployDataProtector(p: { rpc: JsonRpc; deployer: Address; datasetRegistry: Address }): Promise<Address> {
  const startNonce = BigInt(await p.rpc.call<Hex>('eth_getTransactionCount', [p.deployer, 'latest']));
  const plan = createPlan(p.deployer, startNonce);
  const dataProtector = planDataProtector(plan, p.datasetRegistry);
  await sendPlan(p, plan.steps, startNonce);
  return dataProtector;
}

/** The DataProtector, which creates datasets in the registry on behalf of its callers. */
function planDataProtector(plan: Plan, datasetRegistry: Address): Address {
  const artifact = dataProtectorArtifact();
  return plan.deploy(
    'DataProtector',
    encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args: [datasetRegistry] } as never),
  );
}

/** An empty plan whose first transaction has the deployer's nonce `startNonce`. */
function createPlan(deployer: Address, startNonce: bigint): Plan {
  const steps: Step[] = [];
  return {
    steps,
    deploy(label, data) {
      const address = getContractAddress({ from: deployer, nonce: startNonce + BigInt(steps.length) });
      steps.push({ label, data });
      return address;
    },
    call(label, to, abi, functionName, args) {
      steps.push({ label, to, data: encodeFunctionData({ abi, functionName, args } as never) });
    },
  };
}

/** The diamond's init, base facets, order library and PoCo facets, then the diamond itself; returns its address. */
function planDiamond(plan: Plan, owner: Address): Address {
  const diamondInit = pocoDeploymentArtifact('DiamondInit');
  const baseFacets = ['DiamondCutFacet', 'DiamondLoupeFacet', 'OwnershipFacet'].map(pocoDeploymentArtifact);
  const diamondInitAddress = plan.deploy('DiamondInit', diamondInit.bytecode);
  const cuts: { facetAddress: Address; action: number; functionSelectors: Hex[] }[] = [];
  const seen = new Set<Hex>();
  const addFacet = (artifact: Artifact, address: Address) => {
    const functionSelectors = selectorsOf(artifact.abi).filter((selector) => !seen.has(selector));
    functionSelectors.forEach((selector) => seen.add(selector));
    if (functionSelectors.length > 0) cuts.push({ facetAddress: address, action: 0, functionSelectors });
  };
  for (const facet of baseFacets) addFacet(facet, plan.deploy(facet.name, facet.bytecode));
  const libOrders = plan.deploy('IexecLibOrders_v5', pocoArtifact('libs/IexecLibOrders_v5.sol/IexecLibOrders_v5.json').bytecode);
  for (const path of facetPaths) {
    const facet = pocoArtifact(path);
    addFacet(facet, plan.deploy(facet.name, link(facet, { IexecLibOrders_v5: libOrders })));
  }
  // Every facet is cut in the diamond's constructor: one transaction instead of one per facet.
  const diamond = pocoArtifact('Diamond.sol/Diamond.json');
  return plan.deploy(
    'Diamond',
    encodeDeployData({
      abi: diamond.abi,
      bytecode: diamond.bytecode,
      args: [cuts, { owner, init: diamondInitAddress, initCalldata: encodeFunctionData({ abi: diamondInit.abi, functionName: 'init' }) }],
    } as never),
  );
}

/** The app, dataset and workerpool registries, each deployed then initialized. */
function planRegistries(plan: Plan): Registries {
  const registries = {
    appRegistry: pocoArtifact('registries/apps/AppRegistry.sol/AppRegistry.json'),
    datasetRegistry: pocoArtifact('registries/datasets/DatasetRegistry.sol/DatasetRegistry.json'),
    workerpoolRegistry: pocoArtifact('registries/workerpools/WorkerpoolRegistry.sol/WorkerpoolRegistry.json'),
  };
  const appRegistry = plan.deploy('AppRegistry', registries.appRegistry.bytecode);
  const datasetRegistry = plan.deploy('DatasetRegistry', registries.datasetRegistry.bytecode);
  const workerpoolRegistry = plan.deploy('WorkerpoolRegistry', registries.workerpoolRegistry.bytecode);
  for (const [name, address] of [
    ['AppRegistry', appRegistry],
    ['DatasetRegistry', datasetRegistry],
    ['WorkerpoolRegistry', workerpoolRegistry],
  ] as const) {
    plan.call(`${name}.initialize`, address, registries.appRegistry.abi, 'initialize', [zeroAddress]);
  }
  return { appRegistry, datasetRegistry, workerpoolRegistry };
}

/** PoCo's configuration and categories, the workerpool, and the funded accounts' RLC and escrow. */
function planSetup(
  plan: Plan,
  p: DeployPocoParameters,
  { poco, rlc, appRegistry, datasetRegistry, workerpoolRegistry }: PocoAddresses,
): void {
  plan.call('configure', poco, iexecPocoAbi, 'configure', [
    rlc,
    'Staked RLC',
    'SRLC',
    9,
    appRegistry,
    datasetRegistry,
    workerpoolRegistry,
    zeroAddress,
  ]);
  for (const [name, seconds] of defaultCategories)
    plan.call(`createCategory ${name}`, poco, iexecPocoAbi, 'createCategory', [name, '""', seconds]);
  plan.call('createWorkerpool', workerpoolRegistry, workerpoolRegistryAbi, 'createWorkerpool', [
    p.workerpoolOwner,
    p.workerpoolDescription,
  ]);
  if (p.funded.length > 0) {
    for (const account of p.funded) plan.call(`fund ${account}`, rlc, rlcAbi, 'transfer', [account, p.funding.wallet]);
    plan.call('approve escrow', rlc, rlcAbi, 'approve', [poco, p.funding.escrow * BigInt(p.funded.length)]);
    plan.call('deposit escrow', poco, iexecPocoAbi, 'depositForArray', [p.funded.map(() => p.funding.escrow), p.funded]);
  }
}

/** Sends every step in one JSON-RPC batch, mines them in one block and throws on the first revert. */
async function sendPlan(p: Pick<DeployPocoParameters, 'rpc' | 'deployer'>, steps: Step[], startNonce: bigint): Promise<void> {
  const requests = steps.map((step, i) => ({
    method: 'eth_sendTransaction',
    // Explicit fees keep every transaction above the base fee even if the node packs several
    // deployments in one block and the base fee rises between them.
    params: [
      {
        from: p.deployer,
        to: step.to,
        data: step.data,
        nonce: numberToHex(startNonce + BigInt(i)),
        gas: numberToHex(12_000_000n),
        maxFeePerGas: numberToHex(100_000_000_000n),
        maxPriorityFeePerGas: numberToHex(1_000_000_000n),
      },
    ],
  }));
  // Mining is paused while the batch arrives, then one block takes every transaction in nonce
  // order: the node never mines while it is still receiving (a busy anvil once left nonces queued
  // behind a gap that way).
  const automine = await p.rpc.call<boolean>('anvil_getAutomine', []).catch(() => true);
  await p.rpc.call('evm_setAutomine', [false]);
  let receipts: RawReceipt[];
  try {
    const hashes = await p.rpc.batch<Hex>(requests);
    await p.rpc.call('evm_mine', []);
    receipts = await p.rpc.waitForReceipts(hashes, {
      resend: async (index) => {
        const hash = await p.rpc.call<Hex>(requests[index]?.method ?? 'eth_sendTransaction', requests[index]?.params ?? []);
        await p.rpc.call('evm_mine', []);
        return hash;
      },
    });
  } finally {
    await p.rpc.call('evm_setAutomine', [automine]);
  }
  const failed = receipts.findIndex((receipt) => receipt.status !== '0x1');
  if (failed >= 0)
    throw new DeploymentError(steps[failed]?.label ?? `transaction ${failed}`, `transaction ${receipts[failed]?.transactionHash} reverted`);
}
