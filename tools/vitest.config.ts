import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@confidant/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@confidant/source', 'node', 'import', 'default'] } },
  test: {
    include: ['scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
