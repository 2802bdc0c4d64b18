import type { Endpoints } from '../env';

/**
 * What a page hands its browser-side flows: who is signed in, how they sign, and the network's
 * public endpoints. Serialisable (it crosses from the server component to the client).
 */
export type BrowserSetup = {
  account: `0x${string}`;
  /** `local`: one of the local network's test accounts, signed for by its node; `injected`: the browser's wallet. */
  signer: 'local' | 'injected';
  endpoints: Endpoints;
};
