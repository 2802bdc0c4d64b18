import type { Command } from 'commander';
import { action } from '../../action.js';

// Registration only: each action imports its implementation (`*.run.ts`) when it runs, so that
// `confidant --help` loads commander and nothing heavy.
const collect = (value: string, previous: string[] = []) => [...previous, value];

function registerInit(program: Command): void {
  program
    .command('init')
    .description('create an iApp from a template (javascript, typescript, python), with mock protected data, a Dockerfile and a test')
    .argument('[name]', 'the app name (default: hello-world, or asked)')
    .option('-t, --template <template>', 'javascript | typescript | python')
    .option('-d, --dir <dir>', 'the folder to create (default: ./<name>)')
    .option('--protected-data', 'the app processes protected data (creates mock/protected-data)')
    .option('--no-protected-data', 'the app takes no protected data')
    .option('-y, --yes', 'ask nothing: defaults for what is not given', false)
    .action(
      action<[string | undefined, { template?: string; dir?: string; yes: boolean; protectedData?: boolean }]>(
        async ({ output }, name, options) => {
          const { runInit } = await import('./init.run.js');
          await runInit(output, name, {
            template: options.template,
            dir: options.dir,
            yes: options.yes,
            protectedData: options.protectedData,
          });
        },
      ),
    );
}

function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the app locally in the enclave runtime (same IEXEC_* contract as the worker, no Docker); result in ./output/')
    .option('-p, --protected-data <mock|path>', "mock (the project's mock/protected-data), a mock folder, a zip, or none")
    .option('-a, --args <args>', "the arguments, as the request's iexec_args")
    .option('-i, --input-file <path|url>', 'an input file (repeatable)', collect)
    .option('-s, --requester-secret <index=value>', 'a requester secret (repeatable)', collect)
    .option('--app-secret <value>', 'the app developer secret')
    .option('--max-time <seconds>', 'the time limit', '300')
    .action(
      action<
        [{ protectedData?: string; args?: string; inputFile?: string[]; requesterSecret?: string[]; appSecret?: string; maxTime: string }]
      >(async ({ output }, options) => {
        const { runTest } = await import('./test.run.js');
        await runTest(output, options);
      }),
    );
}

function registerMock(program: Command): void {
  const mock = program.command('mock').description('make mock inputs for `confidant test`');
  mock
    .command('protected-data')
    .description('an unencrypted protected data archive (what the enclave decrypts) and its schema')
    .option('--data <json>', 'the values, as a JSON object')
    .option('-f, --file <key=path>', 'a file value (repeatable)', collect)
    .option('-o, --out <dir>', 'the folder to write', 'mock/protected-data')
    .action(
      action<[{ data?: string; file?: string[]; out: string }]>(async ({ output }, options) => {
        const { mockData, writeMock } = await import('./mock.run.js');
        const { resolve } = await import('node:path');
        let json = options.data;
        if (json === undefined && (options.file ?? []).length === 0 && !output.json && process.stdin.isTTY) {
          const { input } = await import('@inquirer/prompts');
          json = await input({ message: 'Values as JSON', default: '{"name":"Alice","email":"alice@example.com"}' });
        }
        const data = await mockData({ data: json, file: options.file, cwd: process.cwd() });
        const written = await writeMock(resolve(options.out), data);
        output.result(
          written,
          (r) =>
            `✔ mock protected data (${r.bytes} bytes) in ${r.dir}\n  schema ${JSON.stringify(r.schema)}\n  use it with: confidant test --protected-data ${options.out}`,
        );
      }),
    );
}

function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description(
      'register the app as an OCI image: on the local network built here and pushed to its registry; on a public network built and pushed with Docker',
    )
    .option('--name <name>', 'the on-chain name (default: the project name)')
    .option('--image <name>', 'public networks: the image to build and push, registry/repository:tag (default: confidant.json "image")')
    .action(
      action<[{ name?: string; image?: string }]>(async ({ global, output }, options) => {
        const { runDeploy } = await import('./deploy.run.js');
        await runDeploy(global, output, options);
      }),
    );
}

function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('offer the deployed app: its app order in the orderbook, and its marketplace listing')
    .option('--app <address>', 'the app (default: the one `confidant deploy` registered on this network)')
    .option('--price <nRLC>', 'price per run, in nRLC', '0')
    .option('--volume <runs>', 'how many runs the order allows', '1000000')
    .option('--title <title>', 'listing title (default: confidant.json listing.title)')
    .option('--description <text>', 'listing description')
    .option('--category <category>', 'listing category')
    .option('--tag <tag>', 'a listing tag (repeatable)', collect)
    .option('--no-listing', 'publish the order only, leave the listing as it is')
    .action(
      action<
        [
          {
            app?: string;
            price: string;
            volume: string;
            listing: boolean;
            title?: string;
            description?: string;
            category?: string;
            tag?: string[];
          },
        ]
      >(async ({ global, output }, options) => {
        const { runPublish } = await import('./publish.run.js');
        await runPublish(global, output, options);
      }),
    );
}

function registerDev(program: Command): void {
  program
    .command('dev')
    .description('start the whole local network (chain, API, IPFS, SMS, worker) until Ctrl-C; commands then use it')
    .option('--no-demo', 'do not seed a new network with the demo apps and protected data')
    .option(
      '--chain-id <id>',
      "the chain's id: 31337 (default), or 421614 so that iExec's DataProtector client accepts the network (data kept in .data-421614)",
    )
    .action(
      action<[{ demo: boolean; chainId?: string }]>(async ({ output }, options) => {
        const { runDev } = await import('./dev.run.js');
        await runDev(output, options);
      }),
    );
}

/** Publisher commands: init, test, mock, deploy, publish, dev. */
export const publisherCommands: ((program: Command) => void)[] = [
  registerInit,
  registerTest,
  registerMock,
  registerDeploy,
  registerPublish,
  registerDev,
];
