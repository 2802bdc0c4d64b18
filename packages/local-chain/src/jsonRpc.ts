import { type Abi, type Address, decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { DeploymentError } from './errors.js';

type RpcResponse = { id: number; result?: unknown; error?: { code: number; message: string } };

export type RawReceipt = { transactionHash: Hex; status: Hex; blockNumber: Hex };

export type JsonRpc = {
  call<T>(method: string, params: unknown[]): Promise<T>;
  /** Sends every request in one HTTP round trip; answers come back in request order. */
  batch<T>(requests: { method: string; params: unknown[] }[]): Promise<T[]>;
  /**
   * Polls until every transaction has a receipt. When nothing progresses for a second, the node's
   * pool is emptied and the ones still without a receipt are handed to `resend`, in order.
   */
  waitForReceipts(hashes: Hex[], options?: { timeoutMs?: number; resend?: (index: number) => Promise<Hex> }): Promise<RawReceipt[]>;
  readContract<T>(request: { to: Address; abi: Abi; functionName: string; args?: readonly unknown[] }): Promise<T>;
};

/**
 * A bare JSON-RPC client for the chain's own bootstrapping (batching, which viem's clients do not
 * expose for writes).
 *
 * @example
 * const rpc = jsonRpc('http://127.0.0.1:8545');
 * const block = await rpc.call<Hex>('eth_blockNumber', []);
 */
export function jsonRpc(url: string): JsonRpc {
  let nextId = 1;
  const post = async (body: unknown): Promise<unknown> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new DeploymentError('talking to the local chain', `HTTP ${response.status} from ${url}`);
    return response.json();
  };
  const unwrap = <T>(response: RpcResponse, method: string): T => {
    if (response.error) throw new DeploymentError(method, response.error.message);
    return response.result as T;
  };
  const rpc: JsonRpc = {
    async call<T>(method: string, params: unknown[]) {
      return unwrap<T>((await post({ jsonrpc: '2.0', id: nextId++, method, params })) as RpcResponse, method);
    },
    async batch<T>(requests: { method: string; params: unknown[] }[]) {
      if (requests.length === 0) return [];
      const first = nextId;
      nextId += requests.length;
      const responses = (await post(requests.map((r, i) => ({ jsonrpc: '2.0', id: first + i, ...r })))) as RpcResponse[];
      const byId = new Map(responses.map((response) => [response.id, response]));
      return requests.map((request, i) => {
        const response = byId.get(first + i);
        if (!response) throw new DeploymentError(request.method, 'no answer in the batch');
        return unwrap<T>(response, request.method);
      });
    },
    async waitForReceipts(sent: Hex[], { timeoutMs = 30_000, resend } = {}) {
      const hashes = [...sent];
      const deadline = Date.now() + timeoutMs;
      let mined = 0;
      let lastProgress = Date.now();
      for (;;) {
        const receipts = await rpc.batch<RawReceipt | null>(
          hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
        );
        const count = receipts.filter((receipt) => receipt !== null).length;
        if (count === hashes.length) return receipts as RawReceipt[];
        if (count > mined) {
          mined = count;
          lastProgress = Date.now();
        } else if (resend && Date.now() - lastProgress > 1_000) {
          // Seen under heavy load: anvil's pool kept later nonces queued behind one it had already
          // mined or lost, and never promoted them. Empty the pool and send the rest again, in order.
          await rpc.call('anvil_dropAllTransactions', []).catch(() => undefined);
          for (const [index, receipt] of receipts.entries()) {
            if (receipt === null) hashes[index] = (await resend(index).catch(() => undefined)) ?? (hashes[index] as Hex);
          }
          lastProgress = Date.now();
        }
        if (Date.now() > deadline) {
          const pool = await rpc.call<unknown>('txpool_inspect', []).catch(() => 'unavailable');
          throw new DeploymentError(
            'waiting for receipts',
            `${hashes.length - count} transactions not mined after ${timeoutMs} ms; pool: ${JSON.stringify(pool).slice(0, 2_000)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async readContract<T>({ to, abi, functionName, args }: { to: Address; abi: Abi; functionName: string; args?: readonly unknown[] }) {
      const data = encodeFunctionData({ abi, functionName, args } as never);
      const result = await rpc.call<Hex>('eth_call', [{ to, data }, 'latest']);
      return decodeFunctionResult({ abi, functionName, data: result } as never) as T;
    },
  };
  return rpc;
}
