export {
  createPocoClient,
  withAccount,
  requireWallet,
  type CreatePocoClientParameters,
  type PocoClient,
  type PocoWalletClient,
} from './client.js';
export {
  getNetwork,
  LOCAL_CHAIN_IDS,
  localNetwork,
  networks,
  pocoAddressesFromJson,
  type NetworkName,
  type NetworkServices,
  type PocoAddresses,
  type PocoNetwork,
} from './networks.js';
export * from './errors.js';
export * from './orders.js';
export * from './tags.js';
export * from './tee.js';
export * from './events.js';
export { computeTaskId } from './taskId.js';
export { requestParams, type RequestParams } from './requestParams.js';
export { buildAppOrder, buildDatasetOrder, buildRequestOrder, buildWorkerpoolOrder, randomSalt } from './buildOrder.js';
export {
  appAbi,
  appRegistryAbi,
  datasetAbi,
  datasetRegistryAbi,
  iexecPocoAbi,
  rlcAbi,
  workerpoolAbi,
  workerpoolRegistryAbi,
} from './generated/abis.js';
export { pocoDeployments } from './generated/deployments.js';

export * from './actions/createApp.js';
export * from './actions/getApp.js';
export * from './actions/transferApp.js';
export * from './actions/createDataset.js';
export * from './actions/createDatasetWithSchema.js';
export * from './actions/getDataset.js';
export * from './actions/transferDataset.js';
export * from './actions/createWorkerpool.js';
export * from './actions/getWorkerpool.js';
export * from './actions/transferWorkerpool.js';
export * from './actions/getAssetOwner.js';
export * from './actions/deposit.js';
export * from './actions/withdraw.js';
export * from './actions/getEscrowBalance.js';
export * from './actions/getRlcBalance.js';
export * from './actions/getPocoDomain.js';
export * from './actions/hashOrder.js';
export * from './actions/signOrder.js';
export * from './actions/verifyOrder.js';
export * from './actions/cancelOrder.js';
export * from './actions/presignOrder.js';
export * from './actions/getRemainingVolume.js';
export * from './actions/matchOrders.js';
export * from './actions/initializeTask.js';
export * from './actions/contributeAndFinalize.js';
export * from './actions/claimTask.js';
export * from './actions/getDeal.js';
export * from './actions/getTask.js';
export * from './smsChallenges.js';
export * from './taskLogs.js';
