import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: { conditions: ['@confidant/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@confidant/source', 'node', 'import', 'default'] } },
  test: {
    // The JSON report lets `npm test` print one closing line for the whole workspace.
    reporters: ['default', 'json'],
    outputFile: { json: join(here, '..', '.cache', 'test-results', `${basename(here)}.json`) },
    include: ['scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
