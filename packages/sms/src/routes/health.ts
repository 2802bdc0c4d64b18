import { sendJson } from '@confidant/server';
import type { Route, RouteHandler } from './route.js';

const health: RouteHandler = async ({ res, services }) => {
  const { database, chain } = await services.health();
  const ok = database && chain;
  sendJson(res, ok ? 200 : 503, { ok, database: database ? 'up' : 'down', chain: chain ? 'up' : 'down' });
};

/** `/health`: 200 when the database and the chain answer, 503 (saying which one failed) otherwise. */
export const healthRoute: Route = {
  template: '/health',
  handlers: { GET: health, HEAD: health },
};
