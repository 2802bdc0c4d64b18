// What the same-origin proxies (/api/trpc, /api/market) share: the cross-site check and the relay.

const hostOf = (origin: string): string | undefined => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

/** A write sent by a page of another site (its Origin names another host than this one). */
export function fromOtherSite(request: Request): boolean {
  const origin = request.headers.get('origin');
  return request.method !== 'GET' && origin !== null && hostOf(origin) !== request.headers.get('host');
}

/**
 * Sends the request on to `url` with `headers` (its body for writes), and the answer back uncached;
 * undefined when `url` cannot be reached (each proxy answers that in its API's own error shape).
 */
export async function relay(request: Request, url: string, headers: Record<string, string>): Promise<Response | undefined> {
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: request.method,
      headers,
      ...(request.method === 'GET' ? {} : { body: await request.text() }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch {
    return undefined;
  }
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' },
  });
}
