import { sendJson } from '@confidant/server';
import { InvalidTeeRequestError, TaskNotActiveError } from '../tee/errors.js';
import { bytes32Schema, parseInput } from '../inputs.js';
import type { Route } from './route.js';

/**
 * `POST /tee/challenges/{taskId}`: a fresh nonce for an enclave's quote, bound to an ACTIVE task,
 * valid 10 minutes, good for one session. Answers `{ taskId, nonce, expiresAt }` (ISO date).
 */
export const teeChallengesRoute: Route = {
  template: '/tee/challenges/{taskId}',
  handlers: {
    POST: async ({ res, params, services }) => {
      const taskId = parseInput(bytes32Schema, params[0], 'the task id', 'Use /tee/challenges/0x… with the 32-byte task id.', {
        refusal: (reason, hint) => new InvalidTeeRequestError(reason, hint),
      });
      const task = await services.tee.chain.task(taskId);
      if (task.status !== 'ACTIVE') throw new TaskNotActiveError(taskId, task.status);
      const challenge = await services.tee.challenges.issue(taskId);
      sendJson(res, 200, { taskId: challenge.taskId, nonce: challenge.nonce, expiresAt: challenge.expiresAt.toISOString() });
    },
  },
};
