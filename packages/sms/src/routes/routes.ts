import { InvalidSecretRequestError } from '../errors.js';
import { appSecretsRoute } from './appSecrets.js';
import { healthRoute } from './health.js';
import { requesterSecretsRoute } from './requesterSecrets.js';
import type { Route } from './route.js';
import { teeChallengesRoute } from './teeChallenges.js';
import { teeSessionsRoute } from './teeSessions.js';
import { web2Route } from './web2.js';
import { web3Route } from './web3.js';

/** Every endpoint of the SMS. */
export const routes: readonly Route[] = [healthRoute, web3Route, web2Route, requesterSecretsRoute, appSecretsRoute, teeChallengesRoute, teeSessionsRoute];

/**
 * The route serving a path, with its decoded segments, or undefined.
 *
 * @example
 * const match = matchRoute('/apps/0xabc…/secrets'); // { route: appSecretsRoute, params: ['0xabc…'] }
 */
export function matchRoute(pathname: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    try {
      return { route, params: found.slice(1).map((segment) => decodeURIComponent(segment)) };
    } catch {
      throw new InvalidSecretRequestError('the path is not valid percent-encoding', 'Encode the path segments with encodeURIComponent.');
    }
  }
  return undefined;
}
