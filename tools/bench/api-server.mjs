// The API server of the HTTP benchmark, in its own process so that the load generator does not
// share its event loop. Arguments: database URL, shared-answer cache TTL in ms (the production
// default 1000; 0 turns it off). Prints its URL on stdout, stops on SIGTERM.
import { startApiServer } from '@confidant/api';
import { createPocoClient } from '@confidant/contracts';
import { createDb } from '@confidant/db';

const database = await createDb({ url: process.argv[2] });
// The list and search routes never touch the chain; the client only has to exist.
const fake = (digit) => `0x${digit.repeat(40)}`;
const poco = createPocoClient({
  network: 'local',
  rpcUrl: 'http://127.0.0.1:9',
  addresses: { poco: fake('1'), rlc: fake('2'), appRegistry: fake('3'), datasetRegistry: fake('4'), workerpoolRegistry: fake('5') },
});
const server = await startApiServer({
  cacheTtlMs: Number(process.argv[3] ?? 1000),
  services: { db: database.db, poco, siweDomains: ['localhost'], secureCookies: false, sessionTtlSeconds: 3600, nonceTtlSeconds: 600 },
});
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  await database.close();
  process.exit(0);
});
