import { accountRoles } from '@confidant/local-chain';
import type { Devnet } from './startDevnet.js';

/**
 * What `npm start` prints once the local network is up: every endpoint, the PoCo addresses, the
 * accounts, and that its enclaves are simulated.
 *
 * @example
 * process.stdout.write(devnetSummary(devnet, { seconds: 1.2, dataDir, database: 'PGlite' }).join('\n'));
 */
export function devnetSummary(
  devnet: Devnet,
  options: {
    seconds: number;
    dataDir: string;
    database: 'PGlite' | 'PostgreSQL';
    bold?: ((text: string) => string) | undefined;
    web?: string | undefined;
    extra?: string[] | undefined;
  },
): string[] {
  const { chain } = devnet;
  const bold = options.bold ?? ((text: string) => text);
  return [
    '',
    bold('Confidant local network is up') +
      ` in ${options.seconds.toFixed(2)} s (${chain.deployed ? 'PoCo freshly deployed' : 'chain and index restored'})`,
    '',
    ...(options.web ? [`  Web app            ${options.web}   (the marketplace)`] : []),
    `  Chain (JSON-RPC)   ${chain.rpcUrl}   chain id ${chain.chainId}${chain.chainId === 421614 ? " (Arbitrum Sepolia's id, for iExec's DataProtector client: a local chain all the same)" : ''}`,
    `  Marketplace API    ${devnet.api.url}   (tRPC; indexing from block ${chain.startBlock}, database ${options.database})`,
    `  iExec market API   ${new URL(devnet.api.url).origin}   (the same orderbook: \`iexec\`'s iexecGatewayURL)`,
    `  Subgraph           ${new URL(devnet.api.url).origin}/subgraphs/dataprotector   (\`@iexec/dataprotector\`'s subgraphUrl)`,
    `  PoCo subgraph      ${new URL(devnet.api.url).origin}/subgraphs/poco   (\`iexec\`'s pocoSubgraphURL: deals, tasks, bulk slices)`,
    `  IPFS (kubo RPC)    ${devnet.storage.apiUrl}   (POST /api/v0/add)`,
    `  IPFS gateway       ${devnet.storage.gatewayUrl}/ipfs/<cid>`,
    `  Container registry ${devnet.registry.url}   (iApp images: ${devnet.registry.registry}/<repository>:<tag>)`,
    `  SMS                ${devnet.sms.url}   (trusts the simulated platform root ${devnet.platformRoot} only)`,
    `  Worker             ${devnet.worker.url}   (worker ${devnet.worker.worker}; task logs for their requester)`,
    `  PoCo diamond       ${chain.addresses.poco}`,
    `  RLC token          ${chain.addresses.rlc}`,
    `  App registry       ${chain.addresses.appRegistry}`,
    `  Dataset registry   ${chain.addresses.datasetRegistry}`,
    `  Workerpool reg.    ${chain.addresses.workerpoolRegistry}`,
    `  DataProtector      ${chain.dataProtector}   (iExec's DataProtector ABI: createDatasetWithSchema)`,
    `  TEE workerpool     ${chain.workerpool.address} (SIMULATED enclaves: the host can read their memory)`,
    '',
    "  Accounts (anvil's public test mnemonic: local use only, never real funds)",
    ...accountRoles.map((role) => `    ${role.padEnd(10)} ${chain.accounts[role].address}`),
    '',
    `  Data directory     ${options.dataDir}`,
    ...(options.extra ?? []),
    '',
    "Press Ctrl-C to stop (the chain, the index, the IPFS blocks, the secrets and the worker's tasks are saved and restored on the next start).",
    '',
  ];
}
