import { appSecretsRoute } from './appSecrets.js';
import { healthRoute } from './health.js';
import { requesterSecretsRoute } from './requesterSecrets.js';
import type { Route } from './route.js';
import { teeChallengesRoute } from './teeChallenges.js';
import { teeSessionsRoute } from './teeSessions.js';
import { web2Route } from './web2.js';
import { web3Route } from './web3.js';

/** Every endpoint of the SMS. */
export const routes: readonly Route[] = [
  healthRoute,
  web3Route,
  web2Route,
  requesterSecretsRoute,
  appSecretsRoute,
  teeChallengesRoute,
  teeSessionsRoute,
];
