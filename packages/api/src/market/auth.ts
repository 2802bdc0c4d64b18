import { randomBytes } from 'node:crypto';
import { marketChallenges } from '@confidant/db';
import { and, eq, gt, lte } from 'drizzle-orm';
import { hashTypedData, recoverTypedDataAddress } from 'viem';
import type { ApiServices } from '../context.js';
import { invalid, unauthorized } from './errors.js';
import type { authorizationSchema } from './schemas.js';
import type { z } from 'zod';

const CHALLENGE_TYPES = { Challenge: [{ name: 'challenge', type: 'string' }] } as const;
/** The EIP-712 domain of iExec's gateway challenges on a chain. */
const domainOf = (chainId: number) => ({ name: 'iExec Gateway', version: '1', chainId });

/** The EIP-712 typed data of a challenge, as iExec's market API serves it (services/auth.js). */
function challengeTypedData(chainId: number, challenge: string) {
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
      ],
      ...CHALLENGE_TYPES,
    },
    domain: domainOf(chainId),
    primaryType: 'Challenge' as const,
    message: { challenge },
  };
}

const digestOf = (chainId: number, challenge: string) =>
  hashTypedData({
    domain: domainOf(chainId),
    types: CHALLENGE_TYPES,
    primaryType: 'Challenge',
    message: { challenge },
  });

/** Issues a single-use challenge for `address` (stored until used or `nonceTtlSeconds` have passed). */
export async function issueChallenge(services: Pick<ApiServices, 'db' | 'nonceTtlSeconds'>, chainId: number, address: string) {
  const challenge = `Sign this message to log into iExec Gateway: ${randomBytes(24).toString('base64url')}`;
  await services.db.delete(marketChallenges).where(lte(marketChallenges.expiresAt, new Date()));
  await services.db.insert(marketChallenges).values({
    digest: digestOf(chainId, challenge).toLowerCase(),
    address,
    chainId,
    challenge,
    expiresAt: new Date(Date.now() + services.nonceTtlSeconds * 1000),
  });
  return challengeTypedData(chainId, challenge);
}

/**
 * Checks an `authorization` header (iExec's market API): the digest is a live challenge issued to
 * that address on this chain, signed by that address. The challenge is then used up. Returns the
 * authorized address (lowercase).
 */
export async function authorize(
  services: Pick<ApiServices, 'db'>,
  chainId: number,
  auth: z.output<typeof authorizationSchema>,
): Promise<string> {
  const [stored] = await services.db
    .select()
    .from(marketChallenges)
    .where(
      and(eq(marketChallenges.digest, auth.digest), eq(marketChallenges.address, auth.address), gt(marketChallenges.expiresAt, new Date())),
    )
    .limit(1);
  if (!stored) throw unauthorized('invalid authorization: no live challenge for this digest and address (challenges are single-use)');
  const recovered = await recoverTypedDataAddress({
    domain: domainOf(stored.chainId),
    types: CHALLENGE_TYPES,
    primaryType: 'Challenge',
    message: { challenge: stored.challenge },
    signature: auth.signature,
  }).catch(() => undefined);
  if (recovered?.toLowerCase() !== auth.address) throw unauthorized('invalid authorization: the signature is not by the address it names');
  // Single use: of two requests racing with the same challenge, one deletes it, the other is refused.
  const used = await services.db
    .delete(marketChallenges)
    .where(eq(marketChallenges.digest, auth.digest))
    .returning({ digest: marketChallenges.digest });
  if (used.length === 0) throw unauthorized('invalid authorization: this challenge was already used');
  if (stored.chainId !== chainId) throw invalid(`the authorization was issued for chain ${stored.chainId}, not ${chainId}`);
  return auth.address;
}
