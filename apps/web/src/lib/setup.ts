import type { BrowserSetup } from './browser/setup';
import { webEnv } from './env';
import { isLocalAccount } from './signin';

/**
 * What the signed-in visitor's browser needs to sign and encrypt, or why it cannot (the web app was
 * started without the network's endpoints).
 */
export async function browserSetupFor(
  account: `0x${string}`,
): Promise<{ setup: BrowserSetup; problem?: undefined } | { setup?: undefined; problem: string }> {
  const env = webEnv();
  if (!env.endpoints)
    return {
      problem: `This web app was started without the network's endpoints (${env.endpointsProblem}), so it can only show: start it with \`npm start\`, or set CONFIDANT_NETWORK_ENDPOINTS.`,
    };
  return { setup: { account, signer: (await isLocalAccount(account)) ? 'local' : 'injected', endpoints: env.endpoints } };
}
