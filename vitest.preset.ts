import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration every project shares. Workspace packages resolve to their TypeScript
 * sources (the `@confidant/source` export condition), so a test never runs against a stale build;
 * each project writes a JSON report that `npm test` sums into one closing line.
 */
export function projectConfig(configUrl: string, include = ['src/**/*.test.ts', 'test/**/*.test.ts'], report?: string) {
  const project = dirname(fileURLToPath(configUrl));
  return defineConfig({
    resolve: { conditions: ['@confidant/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@confidant/source', 'node', 'import', 'default'] } },
    test: {
      // graphql 16 ships CommonJS and ESM builds without an exports map: vite resolves our imports of
      // it to the ESM build, Node resolves those of the GraphQL libraries to the CommonJS one, and
      // graphql refuses a schema from "another realm". Inlined, they resolve it as our code does.
      server: { deps: { inline: ['graphql-http', /@graphql-tools\//] } },
      reporters: ['default', 'json'],
      outputFile: { json: join(dirname(fileURLToPath(import.meta.url)), '.cache', 'test-results', `${report ?? basename(project)}.json`) },
      include,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
