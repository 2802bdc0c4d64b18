import { listen, type Listening, silentLogger } from '@confidant/server';

export type ProxyOptions = {
  /** Ask for this bearer token, handed out anonymously at /token (Docker's token flow). */
  token?: string | undefined;
  /** Changes what the registry answered before the client sees it. */
  tamper?: ((path: string, body: Uint8Array) => Uint8Array) | undefined;
};

/** A registry in front of the real one, for pulls: what a public registry or a man in the middle does. */
export async function startProxy(target: string, options: ProxyOptions = {}): Promise<Listening & { registry: string }> {
  let base = '';
  const served = await listen(
    async (req, res) => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/token') {
        const scope = url.searchParams.get('scope');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token: scope === 'repository:test/app:pull' ? options.token : 'wrong' }));
        return;
      }
      if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="proxy"`, 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      const answer = await fetch(`${target}${url.pathname}${url.search}`, {
        method: req.method,
        headers: { accept: req.headers.accept ?? '*/*' },
      });
      const body = new Uint8Array(await answer.arrayBuffer());
      const sent = options.tamper ? options.tamper(url.pathname, body) : body;
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'docker-content-digest']) {
        const value = answer.headers.get(name);
        if (value) headers[name] = value;
      }
      res.writeHead(answer.status, { ...headers, 'content-length': sent.length }).end(sent);
    },
    { logger: silentLogger },
  );
  base = served.url;
  return { ...served, registry: new URL(served.url).host };
}
