// The SDK in the visitor's browser: signing, encrypting and uploading happen here, never on the web server.
import { networks } from '@confidant/contracts';
import { type ConfidantClient, createConfidantClient } from '@confidant/sdk';
import { custom, type EIP1193Parameters } from 'viem';
import type { BrowserSetup } from './setup';

type Eip1193 = { request(args: { method: string; params?: unknown }): Promise<unknown> };

/** A wallet's or node's refusal, with the JSON-RPC code viem maps to a readable error. */
class ProviderRpcError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ProviderRpcError';
  }
}

/** What needs the account's key: the wallet's part. Everything else is a read from the chain's node. */
const SIGNING = new Set(['eth_sendTransaction', 'personal_sign', 'eth_sign', 'eth_signTypedData_v4']);

function jsonRpc(url: string): Eip1193 {
  let id = 0;
  return {
    async request({ method, params }) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: params ?? [] }),
        });
      } catch {
        throw new ProviderRpcError(`the chain's node at ${new URL(url).origin} could not be reached`, -32603);
      }
      const body = (await response.json().catch(() => ({}))) as {
        result?: unknown;
        error?: { message?: string; code?: number; data?: unknown };
      };
      if (body.error)
        throw new ProviderRpcError(body.error.message ?? 'the node refused the call', body.error.code ?? -32603, body.error.data);
      return body.result;
    },
  };
}

/**
 * One provider for the SDK: reads go to the network's node, signatures and transactions to the
 * signer — the browser's wallet, or on the local network the node itself, which holds its public
 * test accounts unlocked (so no key is ever in the page). Only the signed-in account signs.
 */
function routedProvider(node: Eip1193, signer: Eip1193, account: `0x${string}`): Eip1193 {
  return {
    async request({ method, params }) {
      if (method === 'eth_accounts' || method === 'eth_requestAccounts') return [account];
      if (SIGNING.has(method)) return signer.request({ method, params });
      return node.request({ method, params });
    },
  };
}

async function injectedWallet(setup: BrowserSetup): Promise<Eip1193> {
  const wallet = (globalThis as { ethereum?: Eip1193 }).ethereum;
  if (!wallet) throw new ProviderRpcError('no browser wallet found: you signed in with one, but it is not available now', 4900);
  const accounts = ((await wallet.request({ method: 'eth_requestAccounts' })) as string[]).map((a) => a.toLowerCase());
  if (!accounts.includes(setup.account.toLowerCase())) {
    throw new ProviderRpcError(
      `your wallet's account is ${accounts[0] ?? 'none'}, not ${setup.account} you signed in with: switch accounts in the wallet, or sign out and sign in again`,
      4100,
    );
  }
  const chainId = Number(await wallet.request({ method: 'eth_chainId' }));
  if (chainId !== setup.endpoints.chainId) {
    try {
      await wallet.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: `0x${setup.endpoints.chainId.toString(16)}` }] });
    } catch {
      throw new ProviderRpcError(
        `your wallet is on chain ${chainId}, this marketplace on chain ${setup.endpoints.chainId}: switch networks in the wallet and try again`,
        4901,
      );
    }
  }
  if (setup.endpoints.local && isPublicChainId(setup.endpoints.chainId)) await sameChainAsNode(wallet, jsonRpc(setup.endpoints.rpcUrl));
  return wallet;
}

const isPublicChainId = (chainId: number) =>
  Object.values(networks).some((network) => network.name !== 'local' && network.chain.id === chainId);

/**
 * A local network may run under Arbitrum Sepolia's chain id (421614): a wallet on that chain id may
 * still be on the public chain, where the transactions it sends would go. The first block says.
 */
async function sameChainAsNode(wallet: Eip1193, node: Eip1193): Promise<void> {
  const genesis = (provider: Eip1193) =>
    provider.request({ method: 'eth_getBlockByNumber', params: ['0x0', false] }).then((block) => (block as { hash?: string } | null)?.hash);
  const [ours, theirs] = await Promise.all([genesis(node), genesis(wallet).catch(() => undefined)]);
  if (ours !== theirs)
    throw new ProviderRpcError(
      "your wallet's network has this marketplace's chain id but is another chain (a public one): add this local network's RPC to your wallet as a network of its own and switch to it",
      4901,
    );
}

const clients = new Map<string, Promise<ConfidantClient>>();

/**
 * The SDK client of the signed-in visitor (one per account and page). The API is this origin's
 * proxy, which adds the session from its cookie.
 */
export function confidantFor(setup: BrowserSetup): Promise<ConfidantClient> {
  const key = `${setup.signer}:${setup.account}`;
  let client = clients.get(key);
  if (!client) {
    client = (async () => {
      const node = jsonRpc(setup.endpoints.rpcUrl);
      const signer = setup.signer === 'local' ? node : await injectedWallet(setup);
      const provider = routedProvider(node, signer, setup.account);
      return createConfidantClient({
        // A local network may run under 421614: its chain id alone would name Arbitrum Sepolia.
        ...(setup.endpoints.local ? { network: 'local' as const, chainId: setup.endpoints.chainId } : { network: setup.endpoints.chainId }),
        ...(setup.endpoints.addresses ? { addresses: setup.endpoints.addresses as never } : {}),
        rpcUrl: setup.endpoints.rpcUrl,
        transport: custom({ request: (args: EIP1193Parameters) => provider.request(args) }),
        account: { address: setup.account, type: 'json-rpc' },
        apiUrl: `${window.location.origin}/api/trpc`,
        apiSessionOutside: true,
        smsUrl: setup.endpoints.smsUrl,
        // The market API through this origin's proxy (/api/market), like the marketplace API.
        marketApiUrl: `${window.location.origin}/api/market`,
        dataProtectorSubgraphUrl: setup.endpoints.dataProtectorSubgraphUrl,
        dataProtector: setup.endpoints.dataProtector,
        ipfsApiUrl: setup.endpoints.ipfsApiUrl,
        ipfsGatewayUrl: setup.endpoints.ipfsGatewayUrl,
        workerUrl: setup.endpoints.workerUrl,
      });
    })();
    // A refusal (no wallet, wrong account) is not remembered: the next try asks again.
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}
