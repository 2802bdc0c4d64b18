// The only place the web app reads its environment.
import { addressSchema as address } from '@confidant/contracts/schemas';
import { z } from 'zod';

/**
 * What browsers reach directly to sign, encrypt and upload: the chain's JSON-RPC, the SMS (which
 * receives keys of protected data), the storage, and PoCo's addresses. Public by nature: these URLs
 * are given to every visitor's browser.
 */
const endpointsSchema = z.object({
  chainId: z.number().int().positive(),
  /** A local network: its chain id may be 421614 without it being Arbitrum Sepolia. */
  local: z.boolean().optional(),
  rpcUrl: z.string().url(),
  addresses: z.record(z.string(), address).optional(),
  smsUrl: z.string().url(),
  ipfsApiUrl: z.string().url(),
  ipfsGatewayUrl: z.string().url(),
  workerUrl: z.string().url().optional(),
  workerpool: address.optional(),
  /** iExec's market API (orders; the page reaches it through /api/market). A public network's preset when omitted. */
  marketApiUrl: z.string().url().optional(),
  /** The DataProtector subgraph (protected data). A public network's preset when omitted. */
  dataProtectorSubgraphUrl: z.string().url().optional(),
  /** The DataProtector contract protected data are registered through. A public network's preset when omitted. */
  dataProtector: address.optional(),
});
export type Endpoints = z.infer<typeof endpointsSchema>;

/** Where the marketplace API is and what network it serves (set by `confidant dev` or the deployment). */
export type WebEnv = {
  apiUrl: string;
  network: string;
  simulated: boolean;
  /** Undefined: the web app was started without them and only reads (catalogue, consoles). */
  endpoints: Endpoints | undefined;
  /** Why the endpoints given could not be used (shown where a flow needs them). */
  endpointsProblem: string | undefined;
};

function parseEndpoints(raw: string | undefined): { endpoints?: Endpoints; problem?: string } {
  if (!raw) return { problem: 'CONFIDANT_NETWORK_ENDPOINTS is not set' };
  try {
    const parsed = endpointsSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { endpoints: parsed.data };
    return { problem: `CONFIDANT_NETWORK_ENDPOINTS is invalid at ${parsed.error.issues[0]?.path.join('.') || 'its root'}` };
  } catch {
    return { problem: 'CONFIDANT_NETWORK_ENDPOINTS is not JSON' };
  }
}

let cached: { raw: string | undefined; parsed: ReturnType<typeof parseEndpoints> } | undefined;

export function webEnv(env: Record<string, string | undefined> = process.env): WebEnv {
  const raw = env['CONFIDANT_NETWORK_ENDPOINTS'];
  const kept = env === process.env ? cached : undefined;
  const parsed = kept && kept.raw === raw ? kept.parsed : parseEndpoints(raw);
  if (env === process.env) cached = { raw, parsed };
  const network = env['CONFIDANT_NETWORK'] ?? 'local';
  return {
    apiUrl: env['CONFIDANT_API_URL'] ?? 'http://127.0.0.1:4000/trpc',
    network,
    // Only a network that says so is trusted to run real enclaves; the local one never does.
    simulated: network === 'local' || env['CONFIDANT_SIMULATED'] === '1',
    endpoints: parsed.endpoints,
    endpointsProblem: parsed.problem,
  };
}

/** Next.js's development server (its runtime needs eval; production never does). */
export const isDevelopment = (): boolean => process.env.NODE_ENV === 'development';
