import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from '../../output.js';

/** The project file `confidant init` writes and every publisher command reads. */
export const PROJECT_FILE = 'confidant.json';

export const TEMPLATES = ['javascript', 'typescript', 'python'] as const;
export type Template = (typeof TEMPLATES)[number];

const listingSchema = z
  .object({
    title: z.string().min(1).max(120).optional(),
    description: z.string().max(20_000).optional(),
    category: z.string().min(1).max(40).optional(),
    tags: z.array(z.string().min(1).max(30)).max(10).optional(),
    requiredSchema: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .strict();

const projectSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** The enclave runtime: `node` runs JavaScript, `python` runs Python 3. */
    runtime: z.enum(['node', 'python']),
    /** The file the enclave starts, relative to `bundle` (for TypeScript, the .ts source). */
    entrypoint: z.string().min(1),
    template: z.enum(TEMPLATES),
    /** The folder whose files make the app bundle (default `src`). */
    bundle: z.string().min(1).default('src'),
    /** The mock protected data `confidant test` uses by default, or null for none. */
    protectedData: z.string().nullable().default(null),
    listing: listingSchema.default({}),
  })
  .passthrough();
export type Project = z.infer<typeof projectSchema> & { dir: string };

/** Reads confidant.json in `dir` (the current folder by default). */
export async function loadProject(dir = process.cwd()): Promise<Project> {
  const file = join(dir, PROJECT_FILE);
  if (!existsSync(file))
    throw new CliError(
      `no ${PROJECT_FILE} in ${dir}`,
      'Run this command in an iApp folder, or create one with `confidant init`.',
      EXIT.usage,
    );
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new CliError(`${file} is not JSON`, `Fix ${PROJECT_FILE} (see \`confidant init\` for its fields).`);
  }
  const parsed = projectSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new CliError(
      `${file} is not a valid project file (${problems})`,
      `Fix ${PROJECT_FILE}: it needs name, runtime ("node" or "python"), entrypoint and template.`,
    );
  }
  return { ...parsed.data, dir: resolve(dir) };
}

async function walk(root: string, dir = root): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '__pycache__') continue;
      files.push(...(await walk(root, full)));
    } else if (entry.isFile()) files.push(relative(root, full).split(sep).join('/'));
  }
  return files.sort();
}

/** A bundle ready to run or deploy: its folder, the entrypoint inside it, and its files. */
export type PreparedBundle = { dir: string; entrypoint: string; files: string[] };

/**
 * The app bundle of a project: the `bundle` folder as is, or for TypeScript its files with every
 * .ts transpiled to .js (with the `typescript` package the CLI ships; the enclave runs JavaScript
 * only) into `.confidant/build`.
 */
export async function prepareBundle(project: Project): Promise<PreparedBundle> {
  const source = resolve(project.dir, project.bundle);
  if (!existsSync(source))
    throw new CliError(
      `the bundle folder ${project.bundle} does not exist`,
      `Create it, or set "bundle" in ${PROJECT_FILE} to the folder that holds the app.`,
    );
  const files = await walk(source);
  if (project.template !== 'typescript') {
    if (!files.includes(project.entrypoint))
      throw new CliError(
        `the entrypoint ${project.entrypoint} is not in ${project.bundle}/`,
        `Set "entrypoint" in ${PROJECT_FILE} to the app's main file, relative to ${project.bundle}/.`,
      );
    return { dir: source, entrypoint: project.entrypoint, files };
  }
  const ts = (await import('typescript')).default;
  const out = join(project.dir, '.confidant', 'build');
  await rm(out, { recursive: true, force: true });
  const built: string[] = [];
  for (const file of files) {
    if (file.endsWith('.d.ts')) continue;
    const target = join(out, file.endsWith('.ts') ? `${file.slice(0, -3)}.js` : file);
    await mkdir(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      const result = ts.transpileModule(await readFile(join(source, file), 'utf8'), {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          sourceMap: false,
          isolatedModules: true,
          verbatimModuleSyntax: false,
        },
      });
      const problems = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (problems.length > 0) {
        const text = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
        throw new CliError(
          `${project.bundle}/${file} does not compile: ${text}`,
          'Fix the syntax error (run `npx tsc --noEmit` in the project for type errors too).',
        );
      }
      await writeFile(target, result.outputText);
    } else await copyFile(join(source, file), target);
    built.push(relative(out, target).split(sep).join('/'));
  }
  const entrypoint = project.entrypoint.replace(/\.ts$/, '.js');
  if (!built.includes(entrypoint))
    throw new CliError(
      `the entrypoint ${project.entrypoint} is not in ${project.bundle}/`,
      `Set "entrypoint" in ${PROJECT_FILE} to the app's main file, relative to ${project.bundle}/.`,
    );
  return { dir: out, entrypoint, files: built.sort() };
}

/**
 * The bundle's files as an image takes them (content and exec bit): what `confidant test` runs and
 * `confidant deploy` pushes are built from this, so both give the same image digest.
 */
export async function bundleFiles(bundle: PreparedBundle): Promise<Record<string, { data: Uint8Array; executable: boolean }>> {
  const files: Record<string, { data: Uint8Array; executable: boolean }> = {};
  for (const file of bundle.files) {
    const path = join(bundle.dir, file);
    const [data, stats] = await Promise.all([readFile(path), stat(path)]);
    files[file] = { data, executable: (stats.mode & 0o111) !== 0 };
  }
  return files;
}

/** Where `confidant deploy` remembers the app it registered, per network. */
const deploymentsFile = (project: Project) => join(project.dir, '.confidant', 'deployments.json');

export type Deployment = { address: string; measurement: string; multiaddr: string; transactionHash: string; deployedAt: string };

const deploymentsSchema = z.record(
  z.string(),
  z.object({ address: z.string(), measurement: z.string(), multiaddr: z.string(), transactionHash: z.string(), deployedAt: z.string() }),
);

export async function readDeployments(project: Project): Promise<Record<string, Deployment>> {
  const file = deploymentsFile(project);
  if (!existsSync(file)) return {};
  const parsed = deploymentsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.success ? parsed.data : {};
}

export async function saveDeployment(project: Project, network: string, deployment: Deployment): Promise<void> {
  const all = { ...(await readDeployments(project)), [network]: deployment };
  await mkdir(dirname(deploymentsFile(project)), { recursive: true });
  await writeFile(deploymentsFile(project), `${JSON.stringify(all, null, 2)}\n`);
}
