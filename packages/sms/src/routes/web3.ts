import { web3SecretChallenge } from '../challenges.js';
import { InvalidSecretRequestError } from '../errors.js';
import { secretIdentity } from '../identity.js';
import { addressSchema, base64Schema, parseInput } from '../inputs.js';
import { answerPresence, pushSecret, type Route, type RouteContext } from './route.js';

/** `/secrets/web3?secretAddress=<dataset>`: a dataset's key, set once by the dataset's on-chain owner. */
export const web3Route: Route = {
  template: '/secrets/web3',
  handlers: {
    HEAD: (context) => answerPresence(context, secretIdentity('web3', datasetOf(context))),
    POST: (context) => {
      const dataset = datasetOf(context);
      return pushSecret(context, {
        identity: secretIdentity('web3', dataset),
        mode: 'create',
        challenge: (value) => web3SecretChallenge({ secretAddress: dataset, value }),
        signer: { ownerOf: { kind: 'dataset', address: dataset } },
        validate: (value) => {
          if (!base64Schema.safeParse(value).success) {
            throw new InvalidSecretRequestError(
              'the dataset key is not base64',
              'Send the key as standard base64 text (with = padding, no line breaks).',
            );
          }
        },
      });
    },
  },
};

function datasetOf({ url }: RouteContext) {
  return parseInput(
    addressSchema,
    url.searchParams.get('secretAddress'),
    'the secretAddress query parameter',
    'Pass the dataset address: /secrets/web3?secretAddress=0x…',
  );
}
