import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT, type Output } from '../../output.js';
import { writeMock } from './mock.run.js';
import { PROJECT_FILE, type Template, TEMPLATES } from './project.js';

export type InitOptions = { template?: string | undefined; dir?: string | undefined; yes: boolean; protectedData: boolean | undefined };

/** apps/cli/templates, from src/commands/publisher or dist/commands/publisher alike. */
const templatesDir = () => fileURLToPath(new URL('../../../templates/', import.meta.url));

/** The mock protected data every template starts with (the app says hello to `name`). */
export const DEFAULT_MOCK = { name: 'Alice', email: 'alice@example.com' };

export const ENTRYPOINTS: Record<Template, { runtime: 'node' | 'python'; entrypoint: string }> = {
  javascript: { runtime: 'node', entrypoint: 'app.js' },
  typescript: { runtime: 'node', entrypoint: 'app.ts' },
  python: { runtime: 'python', entrypoint: 'app.py' },
};

const README_VARS: Record<Template, Record<string, string>> = {
  javascript: {
    __LANGUAGE__: 'JavaScript (Node.js 20)',
    __ENTRY__: 'app.js',
    __HELPER__: 'confidant-enclave.js',
    __UNIT_TEST__: 'npm test',
  },
  typescript: {
    __LANGUAGE__: 'TypeScript (compiled to JavaScript by `confidant test` and `confidant deploy`)',
    __ENTRY__: 'app.ts',
    __HELPER__: 'confidant-enclave.js',
    __UNIT_TEST__: 'confidant test && npm test',
  },
  python: {
    __LANGUAGE__: 'Python 3',
    __ENTRY__: 'app.py',
    __HELPER__: 'confidant_enclave.py',
    __UNIT_TEST__: 'python3 -m unittest discover test',
  },
};

const validName = (name: string) => /^[a-z0-9][a-z0-9._-]{0,99}$/i.test(name);

async function copyTemplate(from: string, to: string, vars: Record<string, string>): Promise<string[]> {
  const written: string[] = [];
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    // npm drops files named .gitignore from packages: templates keep them as `gitignore`.
    const target = join(to, entry.name === 'gitignore' ? '.gitignore' : entry.name);
    if (entry.isDirectory()) {
      await mkdir(target, { recursive: true });
      written.push(...(await copyTemplate(source, target, vars)));
    } else {
      let text = await readFile(source, 'utf8');
      for (const [key, value] of Object.entries(vars)) text = text.replaceAll(key, value);
      await writeFile(target, text);
      written.push(target);
    }
  }
  return written;
}

/**
 * A template's bundle (its `src`, names filled in, the enclave helper beside it) as files in memory:
 * what `confidant deploy` would upload for a freshly initialised JavaScript or Python app.
 */
export async function templateBundle(template: 'javascript' | 'python', name: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  const src = join(templatesDir(), template, 'src');
  for (const file of await readdir(src))
    files[file] = new TextEncoder().encode((await readFile(join(src, file), 'utf8')).replaceAll('__APP_NAME__', name));
  if (template === 'python') files['confidant_enclave.py'] = await readFile(pythonHelper());
  else files['confidant-enclave.js'] = await readFile(join(templatesDir(), 'shared', 'confidant-enclave.js'));
  return files;
}

/** The Python helpers shipped with @confidant/enclave (packages/enclave/python). */
function pythonHelper(): string {
  const entry = fileURLToPath(import.meta.resolve('@confidant/enclave'));
  // dist/index.js (or src/index.ts under vitest) -> the package root.
  return join(dirname(dirname(entry)), 'python', 'confidant_enclave.py');
}

async function ask(
  output: Output,
  defaults: { name: string; template: Template | undefined; protectedData: boolean | undefined },
): Promise<{ name: string; template: Template; protectedData: boolean }> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  const name = await input({
    message: 'Name of the iApp',
    default: defaults.name,
    validate: (value) => validName(value) || 'Use letters, digits, . _ and - (at most 100).',
  });
  const template =
    defaults.template ??
    (await select<Template>({
      message: 'Language',
      choices: [
        { value: 'javascript', name: 'JavaScript (Node.js 20)' },
        { value: 'typescript', name: 'TypeScript (compiled to JavaScript by confidant)' },
        { value: 'python', name: 'Python 3 (standard library helpers)' },
      ],
      default: 'javascript',
    }));
  const protectedData = defaults.protectedData ?? (await confirm({ message: 'Does it process protected data?', default: true }));
  output.debug(`answers: ${name}, ${template}, ${protectedData}`);
  return { name, template, protectedData };
}

/** `confidant init [name]`: a new iApp folder from a template. */
export async function runInit(output: Output, nameArgument: string | undefined, options: InitOptions): Promise<void> {
  if (options.template !== undefined && !TEMPLATES.includes(options.template as Template))
    throw new CliError(`unknown template "${options.template}"`, `Choose one of ${TEMPLATES.join(', ')}.`);
  let name = nameArgument ?? (options.dir ? basename(resolve(options.dir)) : 'hello-world');
  let template = options.template as Template | undefined;
  let protectedData = options.protectedData;
  const interactive = !options.yes && !output.json && process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (interactive) ({ name, template, protectedData } = await ask(output, { name, template, protectedData }));
  template ??= 'javascript';
  protectedData ??= true;
  if (!validName(name))
    throw new CliError(`"${name}" is not a valid app name`, 'Use letters, digits, . _ and - (at most 100), e.g. `confidant init my-app`.');

  const dir = resolve(options.dir ?? name);
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new CliError(`${dir} already exists and is not empty`, 'Choose another name, or give an empty folder with --dir.', EXIT.usage);
  await mkdir(dir, { recursive: true });

  const vars = { __APP_NAME__: name, ...README_VARS[template] };
  const files = await copyTemplate(join(templatesDir(), template), dir, vars);
  let readme = await readFile(join(templatesDir(), 'shared', 'README.md'), 'utf8');
  for (const [key, value] of Object.entries(vars)) readme = readme.replaceAll(key, value);
  await writeFile(join(dir, 'README.md'), readme);
  files.push(join(dir, 'README.md'));
  if (template === 'python') {
    await copyFile(pythonHelper(), join(dir, 'src', 'confidant_enclave.py'));
  } else {
    await copyFile(join(templatesDir(), 'shared', 'confidant-enclave.js'), join(dir, 'src', 'confidant-enclave.js'));
    if (template === 'typescript')
      await copyFile(join(templatesDir(), 'shared', 'confidant-enclave.d.ts'), join(dir, 'src', 'confidant-enclave.d.ts'));
  }
  let schema: unknown = null;
  if (protectedData) schema = (await writeMock(join(dir, 'mock', 'protected-data'), DEFAULT_MOCK)).schema;
  const config = {
    name,
    ...ENTRYPOINTS[template],
    template,
    bundle: 'src',
    protectedData: protectedData ? 'mock/protected-data' : null,
    listing: { title: name, description: `${name}: a confidential app.`, category: 'utility', tags: [], requiredSchema: schema },
  };
  await writeFile(join(dir, PROJECT_FILE), `${JSON.stringify(config, null, 2)}\n`);

  output.result(
    { name, template, dir, protectedData, files: [...files, join(dir, PROJECT_FILE)].map((file) => file.slice(dir.length + 1)).sort() },
    (r) =>
      [
        `✔ created ${r.name} (${r.template}) in ${r.dir}`,
        '',
        'Next:',
        `  cd ${options.dir ?? r.name}`,
        `  confidant test${r.protectedData ? '                 # runs the app on mock/protected-data' : ' --args "Bob"'}`,
        '  confidant dev                  # in another terminal: the local network',
        '  confidant deploy && confidant publish',
      ].join('\n'),
  );
}
