import { BaseError } from '@confidant/errors';
import { readLimited, sendJson } from '@confidant/server';
import { z } from 'zod';
import { addressSchema, bytes32Schema, signatureSchema } from '../inputs.js';
import { InvalidTeeRequestError, TeeRequestTooLargeError } from '../tee/errors.js';
import { openTeeSession, type SessionRequest } from '../tee/session.js';
import type { Route, RouteContext } from './route.js';

/** A session request is a few addresses and a quote: a TDX quote is a few KiB, 64 KiB is plenty. */
export const MAX_SESSION_REQUEST_BYTES = 65_536;

const fields = {
  taskId: { schema: bytes32Schema, hint: 'taskId is the 32-byte task id, 0x-prefixed hex.' },
  workerAddress: { schema: addressSchema, hint: 'workerAddress is the worker account that contributes (0x + 40 hex).' },
  enclaveChallenge: { schema: addressSchema, hint: "enclaveChallenge is the enclave key's address, the one its quote binds." },
  authorization: {
    schema: signatureSchema,
    hint: "authorization is the workerpool owner's personal_sign of keccak256(abi.encodePacked(worker, taskId, enclaveChallenge)).",
  },
  quote: {
    schema: z.looseObject({ nonce: bytes32Schema }),
    hint: 'quote is the JSON quote the enclave produced, with the nonce from POST /tee/challenges/{taskId}.',
  },
} as const;

/**
 * `POST /tee/sessions`: an attested enclave's secrets, sealed to its key. Body JSON
 * `{ taskId, workerAddress, enclaveChallenge, authorization, quote }`; answers `{ sealed }`.
 */
export const teeSessionsRoute: Route = {
  template: '/tee/sessions',
  handlers: {
    POST: async (context) => {
      const { res, services } = context;
      const request = await readSessionRequest(context);
      const who = `task ${request.taskId}, worker ${request.workerAddress}, enclave ${request.enclaveChallenge}`;
      try {
        const { sealed, released } = await openTeeSession({ tee: services.tee, store: services.store, logger: services.logger }, request);
        services.logger.info(
          `sms: tee session for ${who}: released ${released.length === 0 ? 'nothing (the deal needs no secret)' : released.join(', ')}`,
        );
        sendJson(res, 200, { sealed });
      } catch (error) {
        // Messages name public facts only (tasks, accounts, assets, measurements), never a value.
        if (error instanceof BaseError) services.logger.info(`sms: tee session refused for ${who}: ${error.name}: ${error.shortMessage}`);
        throw error;
      }
    },
  },
};

async function readSessionRequest({ req }: RouteContext): Promise<SessionRequest> {
  const bytes = await readLimited(
    req,
    MAX_SESSION_REQUEST_BYTES,
    () => new TeeRequestTooLargeError(MAX_SESSION_REQUEST_BYTES),
    () => new InvalidTeeRequestError('the request body could not be read', 'Send the request again.'),
  );
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidTeeRequestError(
      'the request body is not JSON',
      'Send a JSON object { taskId, workerAddress, enclaveChallenge, authorization, quote } with content-type application/json.',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidTeeRequestError(
      'the request body is not a JSON object',
      'Send { taskId, workerAddress, enclaveChallenge, authorization, quote }.',
    );
  }
  const input = body as Record<string, unknown>;
  const read = <name extends keyof typeof fields>(name: name): z.output<(typeof fields)[name]['schema']> => {
    const parsed = fields[name].schema.safeParse(input[name]);
    if (parsed.success) return parsed.data as z.output<(typeof fields)[name]['schema']>;
    // Values are not echoed: the authorization is a credential and the quote is long.
    throw new InvalidTeeRequestError(`${name} is ${input[name] === undefined ? 'missing' : 'not valid'}`, fields[name].hint);
  };
  const taskId = read('taskId');
  return {
    taskId,
    workerAddress: read('workerAddress'),
    enclaveChallenge: read('enclaveChallenge'),
    authorization: read('authorization'),
    nonce: read('quote').nonce,
    quote: input.quote,
  };
}
