import { sendJson } from '../responses.js';
import type { Route, RouteHandler } from './route.js';

const health: RouteHandler = async ({ req, res, services }) => {
  const { database, chain } = await services.health();
  const ok = database && chain;
  sendJson(res, req.method, ok ? 200 : 503, { ok, database: database ? 'up' : 'down', chain: chain ? 'up' : 'down' });
};

/** `/health`: 200 when the database and the chain answer, 503 (saying which one failed) otherwise. */
export const healthRoute: Route = {
  template: '/health',
  pattern: /^\/health$/,
  handlers: { GET: health, HEAD: health },
};
