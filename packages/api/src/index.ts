export { appRouter, createCaller, type AppRouter } from './router.js';
export { createContext, readSessionToken, SESSION_COOKIE, type ApiServices, type Context, type Session } from './context.js';
export { startApiServer, type ApiServer, type StartApiServerParameters } from './server.js';
export { startApi, type Api, type StartApiParameters } from './startApi.js';
export { createIndexer, type Indexer, type IndexerOptions, type SyncResult } from './indexer/indexer.js';
export { readApiEnv, type ApiEnv } from './env.js';
export { toTRPCError } from './errors.js';
