import { multiaddrToLocation } from '@confidant/protected-data';

/** nRLC as RLC for people: "Free", "0.000000005 RLC", "12.5 RLC". */
export function formatPrice(nrlc: bigint | null | undefined): string {
  if (nrlc === null || nrlc === undefined || nrlc === 0n) return 'Free';
  const whole = nrlc / 1_000_000_000n;
  const fraction = (nrlc % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${whole.toLocaleString('en-US')}${fraction ? `.${fraction}` : ''} RLC`;
}

/** 0x1234…abcd */
export const shortAddress = (address: string): string => `${address.slice(0, 6)}…${address.slice(-4)}`;

export const TEE_NAMES: Record<string, string> = { tdx: 'Intel TDX', scone: 'SCONE (Intel SGX)', gramine: 'Gramine (Intel SGX)' };

/** The TEE fingerprint registered with an app, when it is the JSON the platform writes. */
export function parseFingerprint(
  mrenclave: string,
): { framework?: string; version?: string; entrypoint?: string; fingerprint?: string } | undefined {
  try {
    const parsed = JSON.parse(mrenclave) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const text = (key: string) =>
      typeof (parsed as Record<string, unknown>)[key] === 'string' ? ((parsed as Record<string, unknown>)[key] as string) : undefined;
    return { framework: text('framework'), version: text('version'), entrypoint: text('entrypoint'), fingerprint: text('fingerprint') };
  } catch {
    return undefined;
  }
}

/** Where an app's code is, for people: `/ipfs/<cid>` for a bundle, the image name for an image. */
export function codeLocation(multiaddr: string): string {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(multiaddr)) return multiaddr;
  const location = multiaddrToLocation(multiaddr as `0x${string}`);
  // Image names and URLs are text; anything else stays as the registered hex.
  return location.kind === 'ipfs' ? location.path : /^[\x20-\x7e]+$/.test(location.url) ? location.url : multiaddr;
}
