export { createConfidantClient, type ConfidantClient, type ConfidantConfig } from './client.js';
export { signIn, signInMessage } from './auth.js';
export {
  protectData,
  type ProtectDataParameters,
  type ProtectDataReturnType,
  type ProtectDataStatus,
  type ProtectDataStep,
} from './dataOwner/protectData.js';
export { getProtectedData, type GetProtectedDataParameters } from './dataOwner/getProtectedData.js';
export { grantAccess, type GrantAccessParameters } from './dataOwner/grantAccess.js';
export { getGrantedAccess, type GetGrantedAccessParameters } from './dataOwner/getGrantedAccess.js';
export { revokeOneAccess, type RevokeOneAccessReturnType } from './dataOwner/revokeOneAccess.js';
export { revokeAllAccess, type RevokeAllAccessParameters } from './dataOwner/revokeAllAccess.js';
export { transferOwnership, type TransferOwnershipParameters, type TransferOwnershipReturnType } from './dataOwner/transferOwnership.js';
export type { GrantedAccess, ProtectedData } from './internal/shapes.js';
export { createApiClient, type ApiClient, type ApiInputs, type ApiOutputs } from './internal/api.js';
export {
  ApiRequestError,
  InvalidArgumentError,
  MarketApiError,
  MissingServiceConfigError,
  ProtectDataIncompleteError,
  SmsError,
  StorageError,
  SubgraphError,
  UnexpectedResponseError,
} from './errors.js';
export type { MarketClient, MarketKind, MarketOrder, MarketPage } from './internal/market.js';
// The API's refusals, rebuilt by the API client from what the API sends (see `createApiClient`).
export {
  IndexerBehindError,
  InvalidInputError,
  InvalidRequestError,
  NotIndexedError,
  NotOwnerError,
  OrderRefusedError,
  SignInRefusedError,
  SignInRequiredError,
} from '@confidant/errors/api';
export { publishAppOrder, type PublishAppOrderParameters, type PublishedAppOrder } from './publisher/publishAppOrder.js';
export {
  NoMatchingOrderError,
  processProtectedData,
  type ProcessProtectedDataParameters,
  type ProcessProtectedDataReturnType,
  type ProcessStep,
} from './requester/processProtectedData.js';
export { TaskNotCompletedError, waitForTaskCompletion, type WaitForTaskCompletionParameters } from './requester/waitForTaskCompletion.js';
export { getResultFromCompletedTask, ResultUnavailableError, type TaskResult } from './requester/getResultFromCompletedTask.js';
export { generateResultKeyPair, useResultKeyPair, type JsonWebKeyLike, type ResultKeyPair } from './internal/resultKey.js';
export { deployImageApp, isImageName, type DeployImageAppParameters, type DeployImageAppReturnType } from './publisher/deployImageApp.js';
export { getTaskLogs, type TaskLogs } from './requester/getTaskLogs.js';
