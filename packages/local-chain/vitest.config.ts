import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = dirname(fileURLToPath(import.meta.url));

// Workspace packages resolve to their TypeScript sources in tests (the `@confidant/source` export
// condition), so a test never runs against a stale build.
export default defineConfig({
  resolve: { conditions: ['@confidant/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@confidant/source', 'node', 'import', 'default'] } },
  test: {
    // The JSON report lets `npm test` print one closing line for the whole workspace.
    reporters: ['default', 'json'],
    outputFile: { json: join(here, '..', '..', '.cache', 'test-results', `${basename(here)}.json`) },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
