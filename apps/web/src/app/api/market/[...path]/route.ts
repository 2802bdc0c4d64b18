import { getNetwork } from '@confidant/contracts';
import { webEnv } from '@/lib/env';
import { fromOtherSite, relay } from '@/lib/proxy';

/** The market API's paths (iExec's `iexecGatewayURL`): what this proxy forwards, nothing else. */
const MARKET_PATH = /^(challenge|deals|(app|dataset|workerpool|request)orders(\/0x[0-9a-fA-F]{64})?)$/;

/** The market API's refusal envelope, so the SDK in the page reports it as the market API's. */
const refusal = (status: number, error: string) =>
  Response.json({ ok: false, error }, { status, headers: { 'cache-control': 'no-store' } });

/** The network's market API: the endpoints' own, else a public network's preset. */
function marketApiUrl(): string | undefined {
  const { endpoints } = webEnv();
  if (!endpoints) return undefined;
  if (endpoints.marketApiUrl) return endpoints.marketApiUrl;
  try {
    const network = getNetwork(endpoints.chainId);
    return network.name === 'local' ? undefined : network.services?.marketApi;
  } catch {
    return undefined;
  }
}

/**
 * iExec's market API, same-origin, for the SDK running in the page (publishing app orders and
 * grants, reading a grant by hash): the page's connections stay on this origin, as with the
 * marketplace API. Writes carry their own authorization (a challenge the wallet signed); they are
 * taken from this origin only.
 */
async function forward(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const path = (await params).path.join('/');
  if (!MARKET_PATH.test(path)) return refusal(404, `${request.method} /${path.slice(0, 80)} is not served`);
  if (fromOtherSite(request)) return refusal(403, 'calls from other sites are refused: use the market API directly');
  const upstream = marketApiUrl();
  if (!upstream) return refusal(503, 'this web app was started without the network market API (CONFIDANT_NETWORK_ENDPOINTS)');
  const headers: Record<string, string> = {};
  const authorization = request.headers.get('authorization');
  if (authorization) headers['authorization'] = authorization;
  if (request.method !== 'GET') headers['content-type'] = request.headers.get('content-type') ?? 'application/json';
  const answer = await relay(request, `${upstream.replace(/\/+$/, '')}/${path}${new URL(request.url).search}`, headers);
  return answer ?? refusal(502, 'the market API could not be reached');
}

export { forward as GET, forward as POST, forward as PUT };
