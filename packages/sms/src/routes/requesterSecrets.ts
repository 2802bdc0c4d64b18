import { requesterSecretChallenge } from '../challenges.js';
import { secretIdentity } from '../identity.js';
import { addressSchema, parseInput, requesterSecretKeySchema } from '../inputs.js';
import { answerPresence, pushSecret, type Route, type RouteContext } from './route.js';

/** `/requesters/{requester}/secrets/{key}`: a requester's secrets for its tasks, immutable, set by the requester. */
export const requesterSecretsRoute: Route = {
  template: '/requesters/{requesterAddress}/secrets/{secretKey}',
  handlers: {
    HEAD: (context) => {
      const { requester, key } = paramsOf(context);
      return answerPresence(context, secretIdentity('requester', requester, key));
    },
    POST: (context) => {
      const { requester, key } = paramsOf(context);
      return pushSecret(context, {
        identity: secretIdentity('requester', requester, key),
        mode: 'create',
        challenge: (value) => requesterSecretChallenge({ requesterAddress: requester, secretKey: key, value }),
        signer: { account: requester },
      });
    },
  },
};

function paramsOf({ params }: RouteContext) {
  const requester = parseInput(
    addressSchema,
    params[0],
    'the requester address',
    'Use /requesters/0x…/secrets/{key} with the requester account.',
  );
  const key = parseInput(requesterSecretKeySchema, params[1], 'the secret key', 'Use 1 to 64 characters from A-Z, a-z, 0-9, - and _.');
  return { requester, key };
}
