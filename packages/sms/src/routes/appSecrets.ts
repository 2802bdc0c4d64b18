import { appSecretChallenge } from '../challenges.js';
import { secretIdentity } from '../identity.js';
import { addressSchema, parseInput } from '../inputs.js';
import { answerPresence, pushSecret, type Route, type RouteContext } from './route.js';

/** `/apps/{app}/secrets`: the app developer's one secret, immutable, set by the app's on-chain owner. */
export const appSecretsRoute: Route = {
  template: '/apps/{appAddress}/secrets',
  handlers: {
    HEAD: (context) => answerPresence(context, secretIdentity('app', appOf(context))),
    POST: (context) => {
      const app = appOf(context);
      return pushSecret(context, {
        identity: secretIdentity('app', app),
        mode: 'create',
        challenge: (value) => appSecretChallenge({ appAddress: app, value }),
        signer: { ownerOf: { kind: 'app', address: app } },
      });
    },
  },
};

function appOf({ params }: RouteContext) {
  return parseInput(addressSchema, params[0], 'the app address', 'Use /apps/0x…/secrets with the app address.');
}
