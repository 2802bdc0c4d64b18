import { web2SecretChallenge } from '../challenges.js';
import { secretIdentity } from '../identity.js';
import { addressSchema, parseInput, web2SecretNameSchema } from '../inputs.js';
import { checkResultEncryptionKey, RESULT_ENCRYPTION_PUBLIC_KEY_NAME } from '../resultEncryptionKey.js';
import { answerPresence, pushSecret, type Route, type RouteContext } from './route.js';

/** `/secrets/web2?ownerAddress=&secretName=`: an account's named secrets; the only ones that can be updated (PUT). */
export const web2Route: Route = {
  template: '/secrets/web2',
  handlers: {
    HEAD: (context) => {
      const { owner, name } = paramsOf(context);
      return answerPresence(context, secretIdentity('web2', owner, name));
    },
    POST: (context) => push(context, 'create'),
    PUT: (context) => push(context, 'update'),
  },
};

function push(context: RouteContext, mode: 'create' | 'update') {
  const { owner, name } = paramsOf(context);
  const identity = secretIdentity('web2', owner, name);
  return pushSecret(context, {
    identity,
    mode,
    // The challenge covers the name as sent; the store folds its case (as iExec's SMS).
    challenge: (value) => web2SecretChallenge({ ownerAddress: owner, secretName: name, value }),
    signer: { account: owner },
    validate: identity.name === RESULT_ENCRYPTION_PUBLIC_KEY_NAME ? checkResultEncryptionKey : undefined,
  });
}

function paramsOf({ url }: RouteContext) {
  const owner = parseInput(
    addressSchema,
    url.searchParams.get('ownerAddress'),
    'the ownerAddress query parameter',
    'Pass the owner account: /secrets/web2?ownerAddress=0x…&secretName=…',
  );
  const name = parseInput(
    web2SecretNameSchema,
    url.searchParams.get('secretName'),
    'the secretName query parameter',
    'Pass a name of 1 to 256 characters without control characters.',
  );
  return { owner, name };
}
