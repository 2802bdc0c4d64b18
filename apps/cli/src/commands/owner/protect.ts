import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { action } from '../../action.js';
import { CliError, type Output } from '../../output.js';
import { collect, parsePair } from './parse.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

const STEPS: Record<string, string> = {
  EXTRACT_DATA_SCHEMA: 'Reading the data schema',
  CREATE_ZIP_FILE: 'Packing the data',
  CREATE_ENCRYPTION_KEY: 'Creating an encryption key',
  ENCRYPT_FILE: 'Encrypting',
  UPLOAD_ENCRYPTED_FILE: 'Uploading the encrypted data',
  DEPLOY_PROTECTED_DATA: 'Registering the protected data on chain',
  PUSH_SECRET_TO_SMS: 'Handing its key to the SMS',
};

/** Step-list entries driven by an SDK onStatusUpdate callback. */
export function stepsOf(
  output: Output,
  titles: Record<string, string>,
): (status: { title: string; isDone: boolean; payload?: Record<string, string> }) => void {
  const open = new Map<string, ReturnType<Output['step']>>();
  return ({ title, isDone }) => {
    if (!isDone) open.set(title, output.step(titles[title] ?? title));
    else {
      (open.get(title) ?? output.step(titles[title] ?? title)).done();
      open.delete(title);
    }
  };
}

type DataObject = Record<string, unknown>;

function readData(input: string | undefined): DataObject {
  if (input === undefined) return {};
  const fromFile = !input.trimStart().startsWith('{') && existsSync(input) && statSync(input).isFile();
  if (!fromFile && !input.trimStart().startsWith('{'))
    throw new CliError(
      `"${input.slice(0, 60)}" is neither a JSON object nor a file`,
      'Give a JSON object (quoted: \'{"email":"alice@example.com"}\') or the path of a JSON file.',
    );
  let value: unknown;
  try {
    value = JSON.parse(fromFile ? readFileSync(input, 'utf8') : input);
  } catch (error) {
    throw new CliError(
      `${fromFile ? input : 'the data'} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      'Fix the JSON; to protect a binary file use --file key=path.',
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CliError('the data is not a JSON object', 'Protect an object of named fields, e.g. {"email":"alice@example.com"}.');
  return value as DataObject;
}

/** Sets `a.b.c` in a nested object. */
function setPath(target: DataObject, path: string, value: unknown): void {
  const keys = path.split('.');
  if (keys.some((key) => key === ''))
    throw new CliError(
      `--file key "${path}" has an empty part`,
      'Name the field, e.g. --file photo=./photo.jpg or --file docs.scan=./scan.pdf.',
    );
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null || next instanceof Blob)
      throw new CliError(`--file ${path}: "${key}" is already a value`, 'Choose a field name that is not in the JSON data.');
    node = node[key] as DataObject;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** `confidant protect <json|file> [--file key=path]... [--name]` */
export function registerProtect(program: Command): void {
  program
    .command('protect')
    .description('encrypt data on this machine and register it as a protected data you own')
    .argument('[data]', 'a JSON object, or the path of a JSON file')
    .option('--file <key=path>', 'add a binary file as field <key> (streamed; repeatable; a.b for nested)', collect, [])
    .option('--name <name>', 'a public name (stored on chain: never a secret)')
    .addHelpText(
      'after',
      '\nExamples:\n  confidant protect \'{"email":"alice@example.com"}\' --name "my email"\n  confidant protect profile.json --file photo=./photo.jpg',
    )
    .action(
      action<[string | undefined, { file: string[]; name?: string }]>(async ({ global, output }, input, options) => {
        const data = readData(input);
        if (options.file.length > 0) {
          const { fileLeaf } = await import('@confidant/protected-data/node');
          for (const entry of options.file) {
            const [key, path] = parsePair('--file', entry);
            if (!existsSync(path) || !statSync(path).isFile())
              throw new CliError(`--file ${key}: no file ${path}`, 'Give the path of an existing file.');
            setPath(data, key, await fileLeaf(path));
          }
        }
        if (Object.keys(data).length === 0)
          throw new CliError('nothing to protect', 'Give a JSON object, a JSON file, or --file key=path.');
        const { client } = await (await context()).clientFor(global);
        const { protectData } = await import('@confidant/sdk');
        const result = await protectData(client, { data: data as never, name: options.name, onStatusUpdate: stepsOf(output, STEPS) });
        output.result(
          {
            address: result.address,
            name: result.name,
            owner: result.owner,
            schema: result.schema,
            multiaddr: result.multiaddr,
            checksum: result.checksum,
            transactionHash: result.transactionHash,
            createdAt: result.createdAt,
          },
          (r) =>
            `Protected data: ${r.address}\nSchema: ${JSON.stringify(r.schema)}\nNext: confidant grant ${r.address} --app <app address>`,
        );
      }),
    );
}
