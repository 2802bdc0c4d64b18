import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the `@confidant/source` export
// condition), so a test never runs against a stale build.
export default defineConfig({
  resolve: { conditions: ['@confidant/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@confidant/source', 'node', 'import', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
