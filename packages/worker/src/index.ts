export { startWorker, type StartWorkerParameters, type Worker } from './startWorker.js';
export { startWorkerServer, type StartWorkerServerParameters, type WorkerServer } from './server.js';
export type { FailedExecution, SucceededExecution, TaskExecution, TaskExecutor, TaskToRun } from './executor.js';
export { createEnclaveExecutor, type CreateEnclaveExecutorParameters } from './enclaveExecutor.js';
export { createAppImageResolver, type AppImage, type AppImageResolver, type CreateAppImageResolverParameters } from './appImage.js';
export { createSmsClient, type SmsClient, type SmsSessionRequest } from './smsClient.js';
export {
  buildSignedWorkerpoolOrder,
  createOrderbookKeeper,
  defaultOffer,
  type OrderbookKeeper,
  type OrderbookKeeperParameters,
  type WorkerpoolOffer,
} from './orderbook.js';
export {
  hashTaskLogsRequest,
  MAX_LOGS_REQUEST_SECONDS,
  recoverTaskLogsSigner,
  signTaskLogsRequest,
  TASK_LOGS_DOMAIN,
  type TaskLogsRequest,
} from './logsRequest.js';
export { createTaskStore, openStatuses, type DealRow, type TaskPatch, type TaskRow, type TaskStatus, type TaskStore } from './store.js';
export { createDealWatcher, type DealWatcher, type DealWatcherParameters } from './dealWatcher.js';
export { createWorkerDb, type CreateWorkerDbParameters, type WorkerDatabase, type WorkerDbClient, type WorkerSchema } from './db.js';
export { processLogger, silentLogger, type WorkerLogger } from './logger.js';
export { readWorkerEnv, type WorkerEnv } from './env.js';
export { ExecutionTimeoutError } from './abort.js';
export * from './errors.js';
export * as schema from './schema.js';
