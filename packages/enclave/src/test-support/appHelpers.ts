import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function transpileFolder(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const output = ts.transpileModule(readFileSync(join(from, entry.name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    mkdirSync(to, { recursive: true });
    writeFileSync(join(to, entry.name.replace(/\.ts$/, '.js')), output.outputText);
  }
}

/**
 * Installs `@confidant/enclave/app` and what it imports (protected-data, errors) as plain JS under
 * `<appDir>/node_modules`, as an app copied out of the monorepo would carry them.
 */
export function installAppHelpers(appDir: string): void {
  const modules = join(appDir, 'node_modules', '@confidant');
  const install = (name: string, exports: Record<string, string>, folders: [string, string][]) => {
    for (const [from, to] of folders) transpileFolder(join(packages, from), join(modules, name, to));
    writeFileSync(join(modules, name, 'package.json'), JSON.stringify({ name: `@confidant/${name}`, type: 'module', exports }));
  };
  install('errors', { '.': './src/index.js' }, [['errors/src', 'src']]);
  install('protected-data', { '.': './src/index.js', './node': './src/node.js' }, [['protected-data/src', 'src']]);
  install('enclave', { './app': './src/app/index.js' }, [['enclave/src/app', 'src/app']]);
}
