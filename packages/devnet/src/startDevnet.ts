import { join } from 'node:path';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';

export type StartDevnetParameters = {
  /** Where everything keeps its data across restarts; omit for a throw-away network. */
  dataDir?: string | undefined;
  /** The chain's JSON-RPC port; 0 (default) picks a free one. */
  chainPort?: number | undefined;
};

export type Devnet = {
  chain: LocalChain;
  /** Stops every service this call started, then the chain. */
  stop(): Promise<void>;
};

/**
 * Starts the whole local network: the chain with PoCo deployed, then the platform's services on
 * loopback against it.
 *
 * @example
 * const devnet = await startDevnet({ dataDir: '.data' });
 * console.log(devnet.chain.rpcUrl);
 * await devnet.stop();
 */
export async function startDevnet(parameters: StartDevnetParameters = {}): Promise<Devnet> {
  const chain = await startLocalChain({
    port: parameters.chainPort,
    dataDir: parameters.dataDir ? join(parameters.dataDir, 'chain') : undefined,
  });
  return {
    chain,
    stop: () => chain.stop(),
  };
}
