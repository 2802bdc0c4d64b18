import { type Address, concat, type Hex, isAddress, keccak256, stringToBytes } from 'viem';
import { InvalidAddressError } from './errors.js';

// What a client signs (EIP-191 personal_sign over the 32 raw bytes) to push a secret, exactly as
// iExec's SMS computes it (AuthorizationService.getChallengeFor*): a keccak256 over the
// concatenation of keccak256(DOMAIN), the 20 address bytes and the keccak256 of each UTF-8 string.
// Browser-safe: no Node-only import, so the SDK and the web app compute the same bytes.

/** The domain separator of every SMS challenge. */
export const SMS_DOMAIN = 'IEXEC_SMS_DOMAIN';

/** iExec stores an app developer's secret under index "1" (there is exactly one per app). */
export const APP_DEVELOPER_SECRET_INDEX = '1';

export type Web3SecretChallengeParameters = { secretAddress: Address; value: string };
export type Web2SecretChallengeParameters = { ownerAddress: Address; secretName: string; value: string };
export type RequesterSecretChallengeParameters = { requesterAddress: Address; secretKey: string; value: string };
export type AppSecretChallengeParameters = { appAddress: Address; value: string };

/**
 * The challenge for pushing a dataset's key (`POST /secrets/web3`), to be signed by the dataset's owner.
 *
 * @example
 * const challenge = web3SecretChallenge({ secretAddress: dataset, value: keyBase64 });
 * const authorization = await account.signMessage({ message: { raw: challenge } });
 */
export function web3SecretChallenge({ secretAddress, value }: Web3SecretChallengeParameters): Hex {
  return keccak256(concat([hashText(SMS_DOMAIN), addressHex(secretAddress), hashText(value)]));
}

/**
 * The challenge for creating or updating a web2 secret (`POST|PUT /secrets/web2`), signed by its owner.
 *
 * @example
 * const challenge = web2SecretChallenge({ ownerAddress: me, secretName: 'iexec-result-encryption-public-key', value });
 */
export function web2SecretChallenge({ ownerAddress, secretName, value }: Web2SecretChallengeParameters): Hex {
  return keccak256(concat([hashText(SMS_DOMAIN), addressHex(ownerAddress), hashText(secretName), hashText(value)]));
}

/**
 * The challenge for a requester secret (`POST /requesters/{requester}/secrets/{key}`), signed by the requester.
 *
 * @example
 * const challenge = requesterSecretChallenge({ requesterAddress: me, secretKey: 'api-token', value: token });
 */
export function requesterSecretChallenge({ requesterAddress, secretKey, value }: RequesterSecretChallengeParameters): Hex {
  return keccak256(concat([hashText(SMS_DOMAIN), addressHex(requesterAddress), hashText(secretKey), hashText(value)]));
}

/**
 * The challenge for an app developer secret (`POST /apps/{app}/secrets`), signed by the app's owner.
 *
 * @example
 * const challenge = appSecretChallenge({ appAddress: app, value: apiKey });
 */
export function appSecretChallenge({ appAddress, value }: AppSecretChallengeParameters): Hex {
  return keccak256(concat([hashText(SMS_DOMAIN), addressHex(appAddress), hashText(APP_DEVELOPER_SECRET_INDEX), hashText(value)]));
}

function hashText(text: string): Hex {
  return keccak256(stringToBytes(text));
}

function addressHex(address: string): Hex {
  // Any letter case: only the 20 bytes enter the challenge, as in iExec.
  if (!isAddress(address, { strict: false })) {
    throw new InvalidAddressError(address);
  }
  return address.toLowerCase() as Hex;
}
