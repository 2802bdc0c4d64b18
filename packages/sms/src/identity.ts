import { APP_DEVELOPER_SECRET_INDEX } from './challenges.js';

export type SecretKind = 'web3' | 'web2' | 'requester' | 'app';

/** Where a secret is stored: one row per identity. */
export type SecretIdentity = { kind: SecretKind; address: string; name: string };

/**
 * The stored identity of a secret, spelled once: lowercase addresses, no name for a dataset key,
 * `"1"` for an app's secret, and web2 names in lowercase (iExec's SMS folds them too).
 *
 * @example
 * secretIdentity('web2', '0xAbC…', 'My-Token'); // { kind: 'web2', address: '0xabc…', name: 'my-token' }
 */
export function secretIdentity(kind: SecretKind, address: string, name?: string): SecretIdentity {
  const lower = address.toLowerCase();
  switch (kind) {
    case 'web3':
      return { kind, address: lower, name: '' };
    case 'app':
      return { kind, address: lower, name: APP_DEVELOPER_SECRET_INDEX };
    case 'web2':
      return { kind, address: lower, name: (name ?? '').toLowerCase() };
    case 'requester':
      return { kind, address: lower, name: name ?? '' };
  }
}

/**
 * How messages name a secret (never its value).
 *
 * @example
 * describeSecret(secretIdentity('web3', dataset)); // 'the key of dataset 0x…'
 */
export function describeSecret(identity: SecretIdentity): string {
  switch (identity.kind) {
    case 'web3':
      return `the key of dataset ${identity.address}`;
    case 'app':
      return `the developer secret of app ${identity.address}`;
    case 'web2':
      return `web2 secret "${identity.name}" of ${identity.address}`;
    case 'requester':
      return `requester secret "${identity.name}" of ${identity.address}`;
  }
}
