import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { localNetworkOf, type NetworkFile, paths } from '../../context.js';
import { loadDevnet } from '../../devnet.js';
import { webAppDir } from '../../webApp.js';
import type { Devnet, DevnetEnv, WebApp } from '@confidant/devnet';
import type { Output } from '../../output.js';
import { type DemoSeed, seedDemo } from './demo.js';

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);

type DevnetModule = Awaited<ReturnType<typeof loadDevnet>>;

/**
 * `confidant dev`: the whole local network (what `npm start` runs), its endpoints written to
 * <CONFIDANT_HOME>/networks/local.json for every other command, until Ctrl-C. Settings come from
 * the same environment as the devnet's own bin: CONFIDANT_DATA_DIR, CONFIDANT_*_PORT (0 = free), DATABASE_URL.
 */
export async function runDev(output: Output, options: { demo: boolean; chainId?: string | undefined } = { demo: true }): Promise<void> {
  const devnetModule = await loadDevnet();
  const env = devnetModule.readDevnetEnv(undefined, { chainId: options.chainId });
  const started = performance.now();
  const devnet = await startNetwork(output, devnetModule, env);
  const { web, demo } = await startWebAndDemo(output, devnetModule, devnet, { env, demo: options.demo });
  const { network, networkFile } = await writeNetworkFile(devnet);
  printReady(output, devnetModule, { devnet, env, started, network, networkFile, web, demo });
  await untilStopped(output, { devnet, web, networkFile });
  process.exit(0);
}

/** The devnet itself, its indexer's recovered errors shown as warnings. */
async function startNetwork(output: Output, { startDevnet }: DevnetModule, env: DevnetEnv): Promise<Devnet> {
  const step = output.step('starting the local network');
  const devnet = await startDevnet({
    ...env,
    onIndexerError: (error) => output.warn(`indexer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
  }).catch((error: unknown) => {
    step.fail();
    throw error;
  });
  step.done();
  return devnet;
}

/**
 * The web app and the demo seeding, which need only the running network: both at once. Demo apps and
 * data go on a new chain only: a restarted network keeps what its users made. If either fails, the
 * web app and the network are stopped before the error is thrown.
 */
async function startWebAndDemo(
  output: Output,
  { startWebApp, webEndpointsOf }: DevnetModule,
  devnet: Devnet,
  options: { env: DevnetEnv; demo: boolean },
): Promise<{ web: WebApp | undefined; demo: DemoSeed | undefined }> {
  let demo: DemoSeed | undefined;
  let web: WebApp | undefined;
  const webStep = output.step('starting the web app');
  const seeding = options.demo && devnet.chain.deployed ? output.step('seeding the demo apps and protected data') : undefined;
  const [webResult, demoResult] = await Promise.allSettled([
    startWebApp({
      dir: webAppDir(),
      port: options.env.webPort,
      apiUrl: devnet.api.url,
      network: 'local',
      endpoints: webEndpointsOf(devnet),
      onLog: (line) => output.warn(`web: ${line}`),
    }).then(
      (started) => {
        webStep.done(started ? started.url : 'not built here: run `npm start` in the Confidant repository for the web app');
        return started;
      },
      (error: unknown) => {
        webStep.fail();
        throw error;
      },
    ),
    seeding
      ? seedDemo(devnet).then(
          (seeded) => {
            seeding.done(`${seeded.apps.length} apps, ${seeded.protectedData.length} protected data`);
            return seeded;
          },
          (error: unknown) => {
            seeding.fail();
            throw error;
          },
        )
      : Promise.resolve(undefined),
  ]);
  if (webResult.status === 'fulfilled') web = webResult.value;
  if (demoResult.status === 'fulfilled') demo = demoResult.value;
  const failed = [webResult, demoResult].find((result) => result.status === 'rejected');
  if (failed) {
    await web?.stop();
    await devnet.stop();
    throw failed.reason;
  }
  return { web, demo };
}

/** Writes the network file every other command uses (and a config choosing it, if there is none). */
async function writeNetworkFile(devnet: Devnet): Promise<{ network: NetworkFile; networkFile: string }> {
  const network = await localNetworkOf(devnet);
  const home = paths();
  const networkFile = home.network('local');
  mkdirSync(dirname(networkFile), { recursive: true });
  writeFileSync(networkFile, `${JSON.stringify(network, null, 2)}\n`);
  if (!existsSync(home.config)) writeFileSync(home.config, `${JSON.stringify({ network: 'local' }, null, 2)}\n`);
  return { network, networkFile };
}

type Ready = {
  devnet: Devnet;
  env: DevnetEnv;
  started: number;
  network: NetworkFile;
  networkFile: string;
  web: WebApp | undefined;
  demo: DemoSeed | undefined;
};

/** The ready network's result: its endpoints, accounts and demo (the devnet's summary for humans). */
function printReady(
  output: Output,
  { devnetSummary }: DevnetModule,
  { devnet, env, started, network, networkFile, web, demo }: Ready,
): void {
  const accounts = Object.fromEntries(Object.entries(devnet.chain.accounts).map(([role, account]) => [role, account.address]));
  output.result(
    {
      ready: true,
      startedInMs: Math.round(performance.now() - started),
      networkFile,
      network,
      webUrl: web?.url ?? null,
      accounts,
      dataDir: env.dataDir,
      platformRoot: devnet.platformRoot,
      demo: demo ?? null,
    },
    () =>
      devnetSummary(devnet, {
        seconds: (performance.now() - started) / 1000,
        dataDir: env.dataDir,
        database: env.databaseUrl ? 'PostgreSQL' : 'PGlite',
        bold,
        web: web?.url,
        extra: [
          `  Network file       ${networkFile}   (what confidant deploy, publish… use)`,
          ...(demo
            ? [
                '',
                bold('Demo'),
                ...demo.apps.map((app) => `  App                ${app.address}   ${app.title} (${app.runtime}, free)`),
                ...demo.protectedData.map(
                  (data) => `  Protected data     ${data.address}   "${data.name}" of the dataOwner account, granted to both apps`,
                ),
              ]
            : []),
        ],
      }).join('\n'),
  );
}

/** Resolves once the network is stopped: on SIGINT, SIGTERM, or when whoever started us is gone. */
async function untilStopped(
  output: Output,
  { devnet, web, networkFile }: { devnet: Devnet; web: WebApp | undefined; networkFile: string },
): Promise<void> {
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      if (!output.json) process.stdout.write('\nstopping the local network…\n');
      rmSync(networkFile, { force: true });
      try {
        await web?.stop();
        await devnet.stop();
      } finally {
        resolve();
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Whoever started us (npm, a terminal, a supervisor) may die without a signal reaching us.
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && void stop(), 1_000).unref();
  });
}
