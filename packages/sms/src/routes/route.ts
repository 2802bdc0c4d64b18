import { type Route as ServerRoute, type RouteRequest, sendError, sendNoContent } from '@confidant/server';
import { type Address, type Hex, recoverMessageAddress } from 'viem';
import { httpStatusOf, InvalidSecretRequestError, SecretNotFoundError, WrongSignerError } from '../errors.js';
import { describeSecret, type SecretIdentity } from '../identity.js';
import { readSignature } from '../authorization.js';
import { readSecretBody } from '../requestBody.js';
import type { SmsServices } from '../services.js';

/** What an SMS route's handler gets: the request, its URL and decoded path segments, and the SMS's services. */
export type RouteContext = RouteRequest & { services: SmsServices };

export type RouteHandler = (context: RouteContext) => Promise<void>;

/** An SMS endpoint: its template (how the log and the errors name it, never the request's own path) and its handlers. */
export type Route = ServerRoute<{ services: SmsServices }>;

export type PushPlan = {
  identity: SecretIdentity;
  /** `create` refuses an existing secret (409); `update` refuses a missing one (404). */
  mode: 'create' | 'update';
  challenge(value: string): Hex;
  /** Who must have signed: a given account, or the current on-chain owner of an app or dataset. */
  signer: { account: Address } | { ownerOf: { kind: 'app' | 'dataset'; address: Address } };
  /** Refuses a value this kind of secret cannot be (400). */
  validate?: ((value: string) => void) | undefined;
};

/**
 * The push flow every secret kind shares: signature, body, value checks, signer, then the store.
 *
 * @example
 * await pushSecret(context, { identity, mode: 'create', challenge, signer: { account: requester } });
 */
export async function pushSecret({ req, res, services }: RouteContext, plan: PushPlan): Promise<void> {
  const signature = readSignature(req);
  const value = await readSecretBody(req);
  plan.validate?.(value);
  const signer = await recoverSigner(plan.challenge(value), signature);
  const what = describeSecret(plan.identity);
  const expected =
    'account' in plan.signer ? plan.signer.account : await services.assetOwner(plan.signer.ownerOf.kind, plan.signer.ownerOf.address);
  if (signer.toLowerCase() !== expected.toLowerCase()) throw new WrongSignerError(what, signer, expected);
  if (plan.mode === 'create') await services.store.create(plan.identity, value);
  else await services.store.update(plan.identity, value);
  sendNoContent(res);
}

/**
 * Answers a HEAD: 204 when the secret exists, 404 when it does not.
 *
 * @example
 * await answerPresence(context, secretIdentity('web3', dataset));
 */
export async function answerPresence({ res, services }: RouteContext, identity: SecretIdentity): Promise<void> {
  if (await services.store.exists(identity)) sendNoContent(res);
  else {
    const absent = new SecretNotFoundError(describeSecret(identity));
    sendError(res, absent, { status: httpStatusOf(absent) });
  }
}

async function recoverSigner(challenge: Hex, signature: Hex): Promise<Address> {
  try {
    return await recoverMessageAddress({ message: { raw: challenge }, signature });
  } catch {
    throw new InvalidSecretRequestError(
      'the Authorization header is not a valid secp256k1 signature',
      'Sign the challenge with personal_sign (viem: signMessage({ message: { raw: challenge } })).',
    );
  }
}
