import { appsRouter } from './routers/apps.js';
import { authRouter } from './routers/auth.js';
import { grantsRouter } from './routers/grants.js';
import { ordersRouter } from './routers/orders.js';
import { protectedDataRouter } from './routers/protectedData.js';
import { statsRouter } from './routers/stats.js';
import { tasksRouter } from './routers/tasks.js';
import { createCallerFactory, router } from './trpc.js';

/** The whole API: one router per domain. */
export const appRouter = router({
  apps: appsRouter,
  protectedData: protectedDataRouter,
  orders: ordersRouter,
  grants: grantsRouter,
  tasks: tasksRouter,
  stats: statsRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;

/**
 * Calls the API in process, without HTTP (the API's own tests and tools; clients go over HTTP with
 * the SDK's `createApiClient`).
 *
 * @example
 * const api = createCaller(createContext(services, undefined, undefined));
 * const { items } = await api.apps.list({});
 */
export const createCaller = createCallerFactory(appRouter);
